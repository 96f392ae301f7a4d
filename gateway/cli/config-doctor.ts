import type { Command } from 'commander';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gatewayChecks } from '../../adapters/doctor/gateway-checks';
import { restChecks } from '../../adapters/doctor/rest-checks';
import type { DoctorRow } from '../../adapters/doctor/types';
import { RestAdapter } from '../../adapters/rest/rest-adapter';
import type { RestAdapterOptions } from '../config/city-config';
import { checkConfigFiles, listConfigFiles } from '../config/load-city-configs';
import { DEFAULT_CITY_CONFIG_DIR } from '../config/paths';
import { formatProblem } from '../config/validate-city-config';
import { out, progress, table } from './output';
import { environment } from '../config/settings';

export interface DoctorOptions {
  city: string;
  configDir?: string;
  /** A sandbox or serve data dir: keys/ (pinned public keys) and sandbox.json (loopback URLs). */
  dataDir?: string;
  keysDir?: string;
  /** Instead of the configs' URLs (tests). */
  urlOverrides?: Record<string, string>;
  timeoutMs?: number;
  env?: Readonly<Record<string, string | undefined>>;
  now?: () => Date;
}

/** Where the sandbox put each city (sandbox.json), when a data dir is given. */
function sandboxUrls(dataDir?: string): Record<string, string> {
  const file = dataDir ? join(dataDir, 'sandbox.json') : undefined;
  if (!file || !existsSync(file)) return {};
  const s = JSON.parse(readFileSync(file, 'utf8')) as {
    cities?: { id: string; url: string }[];
    platforms?: { id: string; url: string }[];
  };
  return Object.fromEntries(
    [...(s.cities ?? []), ...(s.platforms ?? [])].map((c) => [c.id, c.url]),
  );
}

/**
 * Check one city end to end from here: its config (schema and mapping), then, by adapter kind,
 * the live endpoint: a gateway's reachability, clock, pinned key and contract digest, or a
 * platform's credentials, reachability, clock and mapping against what it answers.
 */
export async function runDoctor(o: DoctorOptions): Promise<DoctorRow[]> {
  const dir = o.configDir ?? DEFAULT_CITY_CONFIG_DIR;
  const now = o.now ?? (() => new Date());
  const { loaded, problems } = checkConfigFiles(listConfigFiles(dir));
  const file = join(dir, `${o.city}.yaml`);
  const mine = problems.filter(
    (p) => p.file === file || loaded.find((l) => l.file === p.file)?.config.id === o.city,
  );
  const entry = loaded.find((l) => l.config.id === o.city);
  const rows: DoctorRow[] = [];
  if (mine.length > 0 || !entry) {
    rows.push({
      check: 'config',
      result: 'fail',
      detail: mine.length
        ? mine.map(formatProblem).join('; ')
        : `no config for city ${o.city} in ${dir}`,
      fix: mine.length
        ? `correct the field(s) named above in ${mine[0]!.file}`
        : `create one: npx tongban city add --id ${o.city} --name-zh … --name-en … --adapter rest|manual|gateway --url …`,
    });
    return rows;
  }
  const city = entry.config;
  rows.push({
    check: 'config',
    result: 'pass',
    detail: `${entry.file}: valid (${city.adapter.kind} adapter${city.adapter.kind === 'rest' ? ', mapping checked against the contract' : ''})`,
  });
  const urls = { ...sandboxUrls(o.dataDir), ...o.urlOverrides };
  const timeoutMs = o.timeoutMs ?? 5000;
  if (city.adapter.kind === 'rest') {
    const adapter = new RestAdapter(
      city.id,
      city.adapter.options as unknown as RestAdapterOptions,
      { timezone: city.timezone, baseUrl: urls[city.id], env: o.env ?? environment(), now },
    );
    rows.push(
      ...(await restChecks({ adapter, file: entry.file, env: o.env ?? environment(), now })),
    );
    rows.push({
      check: 'keys / contract digest',
      result: 'skip',
      detail:
        'a platform signs nothing; what it answers is kept in our ledger (entries of kind adapter)',
    });
    return rows;
  }
  const url = urls[city.id] ?? city.gateway?.url;
  if (!url) {
    rows.push({
      check: 'reachable',
      result: 'fail',
      detail: `city ${city.id} has no gateway URL`,
      fix: `add gateway.url to ${entry.file}, or make it a rest city (adapter.kind: rest)`,
    });
    return rows;
  }
  const keysDir = o.keysDir ?? (o.dataDir ? join(o.dataDir, 'keys') : undefined);
  rows.push(...(await gatewayChecks({ city, file: entry.file, url, keysDir, timeoutMs, now })));
  return rows;
}

export function printDoctor(city: string, rows: DoctorRow[]): boolean {
  const failed = rows.filter((r) => r.result === 'fail').length;
  out(
    table([
      ['CHECK', 'RESULT', 'DETAIL'],
      ...rows.map((r) => [r.check, r.result.toUpperCase(), r.detail]),
    ]),
  );
  const fixes = rows.filter((r) => r.fix && (r.result === 'fail' || r.result === 'warn'));
  if (fixes.length) {
    out('');
    out(table([['CHECK', 'FIX'], ...fixes.map((r) => [`${r.check} (${r.result})`, r.fix!])]));
  }
  out('');
  out(failed ? `city ${city}: ${failed} check(s) failed` : `city ${city}: all checks passed`);
  return failed === 0;
}

export function registerConfigDoctor(config: Command): void {
  config
    .command('doctor')
    .description(
      "check one city live: reachability, keys, contract digest, clock skew, and a rest adapter's mapping",
    )
    .requiredOption('--city <id>', '6-digit city code')
    .option('--config-dir <dir>', 'city configs folder (default city-configs/)')
    .option(
      '--data-dir <dir>',
      'sandbox/serve data dir: pinned keys (keys/) and sandbox URLs (sandbox.json)',
    )
    .option('--keys-dir <dir>', 'folder of pinned public key sets (<city>.public.jwks.json)')
    .option('--timeout-ms <n>', 'per request', '5000')
    .action(
      async (o: {
        city: string;
        configDir?: string;
        dataDir?: string;
        keysDir?: string;
        timeoutMs: string;
      }) => {
        progress(`Checking city ${o.city} …`);
        const rows = await runDoctor({ ...o, timeoutMs: Number(o.timeoutMs) });
        if (!printDoctor(o.city, rows)) process.exitCode = 1;
      },
    );
}
