import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { loadCityConfigs } from '../../gateway/config/load-city-configs';
import { DEFAULT_CITY_CONFIG_DIR } from '../../gateway/config/paths';
import { issueDevToken, loadOrCreateDevIssuer } from '../../gateway/auth/dev-issuer';
import type { Role } from '../../gateway/auth/roles';
import { ensureCityKey } from '../../gateway/runtime/keys';
import { startGateway, type RunningGateway, type StartOptions } from '../../gateway/runtime/start';
import type { Store } from '../../gateway/store';
import { dropSchema, freshPgStore, randomSchema } from './db';

export interface TestFederation {
  gw: Record<string, RunningGateway>;
  keysDir: string;
  token(city: string, role?: Role): Promise<string>;
  /** Restart one city's gateway on the same store and port (keys and data kept). */
  restart(city: string, extra?: Partial<StartOptions>): Promise<RunningGateway>;
  close(): Promise<void>;
}

/**
 * Several real gateways on loopback, each on its own fresh PostgreSQL schema, with generated
 * keys pinned for every city and the dev token issuer. Real HTTP, real signatures.
 */
export async function startFederation(
  cities: string[],
  opts: Partial<StartOptions> & { stores?: Record<string, Store> } = {},
): Promise<TestFederation> {
  const keysDir = mkdtempSync(join(tmpdir(), 'tongban-keys-'));
  for (const c of cities) ensureCityKey(keysDir, c);
  const issuer = await loadOrCreateDevIssuer(keysDir);
  const stores: Record<string, Store & { schema?: string }> = { ...opts.stores };
  for (const c of cities) stores[c] ??= await freshPgStore(randomSchema(`c${c}`));
  // Reserve ports first so every gateway knows every peer's URL.
  const ports: Record<string, number> = {};
  const gw: Record<string, RunningGateway> = {};
  const urls: Record<string, string> = {};
  const base: Record<string, StartOptions> = {};
  // Cities not started here point at a closed loopback port: tests never reach beyond loopback.
  for (const { config } of loadCityConfigs(opts.configDir ?? DEFAULT_CITY_CONFIG_DIR))
    urls[config.id] = 'http://127.0.0.1:9';
  // …unless the test names where they are (a simulated platform, say).
  Object.assign(urls, opts.urlOverrides);
  for (const c of cities) {
    ports[c] = await freePort();
    urls[c] = `http://127.0.0.1:${ports[c]}`;
  }
  for (const c of cities) {
    base[c] = {
      cityId: c,
      port: ports[c],
      keysDir,
      store: stores[c],
      logger: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
      checkpointEveryMs: 200,
      delivery: { pollMs: 50, baseDelayMs: 50, maxDelayMs: 500 },
      ...opts,
      urlOverrides: urls,
    };
    gw[c] = await startGateway(base[c]);
  }
  return {
    gw,
    keysDir,
    token: (city, role = 'officer') => issueDevToken(issuer, { city, role }),
    async restart(city, extra = {}) {
      await gw[city]!.close();
      gw[city] = await startGateway({ ...base[city]!, ...extra });
      return gw[city]!;
    },
    async close() {
      await Promise.allSettled(Object.values(gw).map((g) => g.close()));
      for (const s of Object.values(stores)) {
        await s.close().catch(() => undefined);
        if (s.schema) await dropSchema(s.schema).catch(() => undefined);
      }
      rmSync(keysDir, { recursive: true, force: true });
    },
  };
}

/** Poll until `fn` returns a truthy value or the time runs out (bounded; no fixed sleeps). */
export async function eventually<T>(
  fn: () => Promise<T | undefined | false>,
  what: string,
  timeoutMs = 25_000,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < until) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
}

/** Ports this process has handed out: the kernel may offer a just-closed port again. */
const handedOut = new Set<number>();

/**
 * A free loopback port (the OS picks it), never one this process handed out before (two gateways told the
 * same port: one would die at start-up with EADDRINUSE).
 */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((resolve, reject) => {
      const s = createServer();
      s.once('error', reject);
      s.listen(0, '127.0.0.1', () => {
        const addr = s.address();
        const p = typeof addr === 'object' && addr ? addr.port : 0;
        s.close(() => resolve(p));
      });
    });
    if (!handedOut.has(port)) {
      handedOut.add(port);
      return port;
    }
  }
}
