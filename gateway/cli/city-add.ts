import type { Command } from 'commander';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { restAdapterYaml } from '../../adapters/rest/reference-profile';
import type { AdapterKind } from '../config/city-config';
import { DEFAULT_CITY_CONFIG_DIR } from '../config/paths';
import { formatProblem, parseCityConfig } from '../config/validate-city-config';
import { TongbanError } from '../errors';
import { out, progress } from './output';

export interface CityAddOptions {
  id: string;
  nameZh: string;
  nameEn: string;
  adapter: AdapterKind;
  /** gateway/manual: the city's gateway URL; rest: its platform's base URL. */
  url?: string;
  configDir?: string;
  province?: string;
  timezone?: 'Asia/Shanghai' | 'Asia/Urumqi';
  member?: boolean;
  pollIntervalMs?: number;
  /** rest: send an auth header whose value comes from TONGBAN_<id>_TOKEN. */
  auth?: boolean;
}

const KINDS: AdapterKind[] = ['gateway', 'rest', 'manual'];
const yamlString = (s: string) => JSON.stringify(s);

/** The commented YAML of a new city config. */
export function renderCityConfig(o: CityAddOptions): string {
  const province = o.province ?? (/^\d{6}$/.test(o.id) ? `${o.id.slice(0, 2)}0000` : '');
  const head = `# ${o.nameZh} ${o.nameEn}: written by \`tongban city add\`; edit freely, then run
#   npx tongban config validate && npx tongban config doctor --city ${o.id}
# Validated at start against contracts/city-config.schema.json.
id: ${yamlString(o.id)}
name: { zh: ${yamlString(o.nameZh)}, en: ${yamlString(o.nameEn)} }
province: ${yamlString(province)}
timezone: ${o.timezone ?? 'Asia/Shanghai'}
member: ${o.member === false ? 'false' : 'true'}            # a federation member: records issued here are routable
`;
  let adapter: string;
  switch (o.adapter) {
    case 'rest':
      adapter = `# No gateway: this city does not run the exchange contract. Its credit platform is reached
# through the rest adapter; the mapping below is the reference platform's (gateway/simulator):
# replace the platform-side names with this platform's.
${restAdapterYaml({ baseUrl: o.url ?? '', cityId: o.id, pollIntervalMs: o.pollIntervalMs, withAuth: o.auth })}`;
      break;
    case 'manual':
    case 'gateway':
      adapter = `gateway:
  # Where peers reach this city's gateway. \`tongban sandbox\` rewrites it to a loopback port.
  url: ${o.url ?? ''}
# Public keys are pinned here in production (keys.pinned: the city's Ed25519 JWKs, checked out
# of band); \`tongban config doctor\` compares them with what the gateway publishes.
# keys:
#   pinned: []
adapter:
  kind: ${o.adapter}${o.adapter === 'manual' ? "        # delegations land in this city's officers' inbox (Tongban)" : '       # the city runs its own implementation of the exchange contract'}
`;
      break;
  }
  return `${head}${adapter}categories: [administrative_penalty]
sla:
  decide: { value: 3, unit: working_days }
  feedback: { value: 10, unit: working_days }
intake:
  allowNotYetEligible: false
contacts:
  - { name: ${yamlString(`${o.nameZh}信用修复联络员`)}, role: liaison }
`;
}

/** Write a new city config after validating it; never overwrites. */
export function addCity(o: CityAddOptions): { file: string; text: string } {
  if (!KINDS.includes(o.adapter))
    throw new TongbanError(
      'invalid_parameter',
      `--adapter must be one of ${KINDS.join(', ')}, got ${String(o.adapter)}`,
    );
  if (!o.url) {
    throw new TongbanError(
      'invalid_parameter',
      o.adapter === 'rest'
        ? "--url (the platform's base URL) is required for a rest city"
        : `--url (the city's gateway URL) is required for a ${o.adapter} city`,
    );
  }
  const dir = o.configDir ?? DEFAULT_CITY_CONFIG_DIR;
  const file = join(dir, `${o.id}.yaml`);
  const text = renderCityConfig(o);
  const { problems } = parseCityConfig(file, text);
  if (problems.length > 0) {
    throw new TongbanError(
      'config_invalid',
      `The config would be invalid; nothing written:\n${problems.map(formatProblem).join('\n')}`,
    );
  }
  if (existsSync(file))
    throw new TongbanError('conflict', `${file} already exists; edit it, or remove it first`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(file, text, { flag: 'wx' });
  return { file, text };
}

export function registerCityAdd(program: Command): void {
  const city =
    program.commands.find((c) => c.name() === 'city') ??
    program.command('city').description('federation cities');
  city
    .command('add')
    .description('write a new city config (validated first; never overwrites)')
    .requiredOption('--id <code>', '6-digit GB/T 2260 city code')
    .requiredOption('--name-zh <name>', 'Chinese name, e.g. 广州市')
    .requiredOption('--name-en <name>', 'English name, e.g. Guangzhou')
    .requiredOption('--adapter <kind>', 'rest | manual | gateway')
    .option('--url <url>', "gateway/manual: the city's gateway URL; rest: the platform's base URL")
    .option('--config-dir <dir>', 'city configs folder (default city-configs/)')
    .option('--province <code>', 'province code (default: first two digits + 0000)')
    .option('--timezone <tz>', 'Asia/Shanghai | Asia/Urumqi', 'Asia/Shanghai')
    .option('--not-member', 'not a federation member (records issued there are not routable)')
    .option('--poll-interval-ms <n>', 'rest: status polling interval', '5000')
    .option('--auth', 'rest: send an auth header whose value comes from TONGBAN_<id>_TOKEN')
    .action((o: Record<string, string | boolean | undefined>) => {
      const { file } = addCity({
        id: String(o.id),
        nameZh: String(o.nameZh),
        nameEn: String(o.nameEn),
        adapter: String(o.adapter) as AdapterKind,
        url: o.url as string | undefined,
        configDir: o.configDir as string | undefined,
        province: o.province as string | undefined,
        timezone: o.timezone as CityAddOptions['timezone'],
        member: o.notMember ? false : true,
        pollIntervalMs: Number(o.pollIntervalMs),
        auth: o.auth === true,
      });
      out(`wrote ${file}`);
      progress(
        `Next: review it, then  npx tongban config validate ${file}  and  npx tongban config doctor --city ${String(o.id)}`,
      );
      progress(
        'Restart the gateways for the new city to take effect (configs are read once at start).',
      );
    });
}
