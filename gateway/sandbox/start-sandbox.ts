import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { issueDevToken, loadOrCreateDevIssuer } from '../auth/dev-issuer';
import { loadCityConfigs } from '../config/load-city-configs';
import { DEFAULT_CITY_CONFIG_DIR } from '../config/paths';
import { createLogger } from '../http/logger';
import { ensureCityKey } from '../runtime/keys';
import { startGateway, type RunningGateway } from '../runtime/start';
import { DEMO_PLATFORM_PENALTIES } from '../simulator/demo';
import { startPlatformSimulator, type RunningSimulator } from '../simulator/server';
import type { LoadedCityConfig } from '../config/city-config';
import { seedDemoPenalties } from './demo-data';
import { openCityStores } from './embedded-stores';

export interface SandboxOptions {
  portBase: number;
  dataDir: string;
  configDir?: string;
  host?: string;
  logLevel?: string;
  onProgress?: (msg: string) => void;
}

export interface SandboxCity {
  id: string;
  name: { zh: string; en: string };
  url: string;
  dashboard: string;
  tokens: Record<'officer' | 'supervisor' | 'auditor', string>;
}

export interface Sandbox {
  cities: SandboxCity[];
  /** Cities without a gateway, reached through their (simulated) platform. */
  platforms: { id: string; url: string }[];
  gateways: RunningGateway[];
  file: string;
  close(): Promise<void>;
}

/**
 * The whole federation on loopback: one gateway per city config, each with its own embedded
 * database, dev keys generated into the data dir and pinned for every city, and a dev token
 * issuer. Writes what it started to <data-dir>/sandbox.json.
 */
export async function startSandbox(o: SandboxOptions): Promise<Sandbox> {
  const say = o.onProgress ?? (() => undefined);
  const dataDir = resolve(o.dataDir);
  const configDir = o.configDir ?? DEFAULT_CITY_CONFIG_DIR;
  const host = o.host ?? '127.0.0.1';
  const loaded = loadCityConfigs(configDir);
  const configs = loaded.filter((l) => l.config.gateway);
  const keysDir = join(dataDir, 'keys');
  mkdirSync(keysDir, { recursive: true });
  for (const { config } of configs) ensureCityKey(keysDir, config.id);
  const issuer = await loadOrCreateDevIssuer(keysDir);
  const urls: Record<string, string> = {};
  configs.forEach(({ config }, i) => (urls[config.id] = `http://${host}:${o.portBase + i}`));

  // The databases first: one another process holds (a sandbox already running on this data
  // dir) stops the start before any port is taken.
  const stores = await openCityStores(
    join(dataDir, 'db'),
    configs.map((c) => c.config.id),
    say,
  );
  const gateways: RunningGateway[] = [];
  const cities: SandboxCity[] = [];
  let platforms: Awaited<ReturnType<typeof startPlatforms>> = [];
  try {
    // Cities without a gateway (rest adapter): a simulated platform each, from port-base + 7.
    platforms = await startPlatforms(loaded, host, o.portBase + 7, urls, say);
    for (const [i, { config }] of configs.entries()) {
      const store = stores.get(config.id)!;
      await seedDemoPenalties(store, config.id);
      const g = await startGateway({
        cityId: config.id,
        host,
        port: o.portBase + i,
        configDir,
        keysDir,
        dataDir,
        store,
        urlOverrides: urls,
        logger: createLogger({ level: o.logLevel ?? 'warn', city: config.id }),
      });
      gateways.push(g);
      const tokens = {
        officer: await issueDevToken(issuer, { city: config.id, role: 'officer' }),
        supervisor: await issueDevToken(issuer, { city: config.id, role: 'supervisor' }),
        auditor: await issueDevToken(issuer, { city: config.id, role: 'auditor' }),
      };
      cities.push({
        id: config.id,
        name: config.name,
        url: g.url,
        dashboard: `${g.url}/ui/#token=${tokens.officer}`,
        tokens,
      });
      say(`  ${config.id} ${config.name.en} ready on ${g.url}`);
    }
  } catch (e) {
    await Promise.allSettled(gateways.map((g) => g.close()));
    await Promise.allSettled([...stores.values()].map((s) => s.close()));
    await Promise.allSettled(platforms.map((p) => p.close()));
    throw e;
  }
  const file = join(dataDir, 'sandbox.json');
  writeFileSync(
    file,
    JSON.stringify(
      {
        startedAt: new Date().toISOString(),
        cities,
        platforms: platforms.map((p) => ({ id: p.id, url: p.url })),
      },
      null,
      2,
    ) + '\n',
    { mode: 0o600 },
  );
  return {
    cities,
    platforms: platforms.map((p) => ({ id: p.id, url: p.url })),
    gateways,
    file,
    async close() {
      await Promise.allSettled(gateways.map((g) => g.close()));
      await Promise.allSettled([...stores.values()].map((s) => s.close()));
      await Promise.allSettled(platforms.map((p) => p.close()));
    },
  };
}

/**
 * One simulated platform (gateway/simulator) per rest city, on consecutive ports from `port`;
 * the gateways reach it through the URL override. It decides by itself, one step every two
 * status polls, so a demo case there reaches repaired without anyone at the platform.
 */
async function startPlatforms(
  loaded: LoadedCityConfig[],
  host: string,
  port: number,
  urls: Record<string, string>,
  say: (msg: string) => void,
): Promise<(RunningSimulator & { id: string })[]> {
  const out: (RunningSimulator & { id: string })[] = [];
  for (const [i, { config }] of loaded.filter((l) => l.config.adapter.kind === 'rest').entries()) {
    const sim = await startPlatformSimulator({
      host,
      port: port + i,
      autoProgressAfterPolls: 2,
      seed: DEMO_PLATFORM_PENALTIES,
    });
    urls[config.id] = sim.url;
    out.push({ ...sim, id: config.id });
    say(`  ${config.id} ${config.name.en} platform (simulated, rest adapter) on ${sim.url}`);
  }
  return out;
}
