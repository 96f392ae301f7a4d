/** The runs `npm run bench` is made of: floor, gateway pair, ledger, each in child processes. */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { ensureCityKey } from '../gateway/runtime/keys';
import { cpuSnapshot, cpuUsed, type CpuUse } from './host-cpu';
import type { LedgerBenchResult } from './ledger';
import { httpClosedLoop, type HttpRunResult } from './loadgen';
import { spawnChild, type Child } from './proc';
import type { RunResult } from './load';

export const SENDER = '230100'; // Harbin
export const RECEIVER = '330100'; // Hangzhou

export interface Options {
  databaseUrl: string;
  delegations: number;
  warmup: number;
  concurrency: number;
  batch: number;
  floorRequests: number;
  floorWarmup: number;
  runs: number;
  rate: number;
  rateSeconds: number;
  rateWarmup: number;
  fixedRate: boolean;
  pglite: boolean;
  pgliteDelegations: number;
  ledger: boolean;
  ledgerEntries: number;
  cpuProf: boolean;
  poolMax: number;
  quick: boolean;
  countQueries: boolean;
  queueCommit: 'tx' | 'group';
  /** V8 flags of the server processes, gateways and floor alike (the image's NODE_OPTIONS). */
  nodeFlags: string;
}

/** `--node-flags` as execArgv. */
const flagsOf = (o: Options) => o.nodeFlags.split(/\s+/).filter(Boolean);

export interface GatewayRun extends RunResult {
  driver: 'pg' | 'pglite';
  mode: 'closed' | 'fixed';
  run: number;
  offered?: number;
  memory: {
    senderRssMb: number;
    senderPeakRssMb: number;
    receiverRssMb: number;
    receiverPeakRssMb: number;
  };
  cpuMsPerDelegation: number;
  receiverCpuMsPerDelegation: number;
  /** The machine's busy CPU and PostgreSQL's, per delegation (Linux only). */
  host?: CpuUse;
}

/** Whole-machine and PostgreSQL CPU per unit of work, ms. */
const perUnit = (u: CpuUse | undefined, n: number): CpuUse | undefined =>
  u && n > 0 ? { busyMs: u.busyMs / n, postgresMs: u.postgresMs / n } : undefined;

export const log = (s: string) => process.stderr.write(`${s}\n`);
const schemas: string[] = [];

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      s.close(() => resolve(typeof addr === 'object' && addr ? addr.port : 0));
    });
  });
}

export function newSchema(tag: string): string {
  const s = `bench_${tag}_${randomBytes(4).toString('hex')}`;
  schemas.push(s);
  return s;
}

export async function dropSchemas(url: string): Promise<void> {
  if (schemas.length === 0) return;
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    for (const s of schemas.splice(0)) await c.query(`DROP SCHEMA IF EXISTS ${s} CASCADE`);
  } finally {
    await c.end();
  }
}

let checkpointRefused = false;

/**
 * Between scenarios: a CHECKPOINT, so that what one scenario wrote is flushed before the next is
 * measured instead of during it (a full bench writes gigabytes of WAL; without this the
 * fixed-rate run, which follows the closed loop, took checkpoints' full-page-image bursts).
 * Needs superuser or pg_checkpoint; without, the bench says so once and goes on.
 */
export async function checkpoint(url: string, log: (line: string) => void): Promise<void> {
  if (checkpointRefused) return;
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query('CHECKPOINT');
  } catch (e) {
    checkpointRefused = true;
    log(
      `  no CHECKPOINT between scenarios (${(e as Error).message}): they may flush each other's writes`,
    );
  } finally {
    await c.end();
  }
}

function profArgs(o: Options, profDir: string | undefined, name: string): string[] {
  return o.cpuProf && profDir
    ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`, `--cpu-prof-name=${name}.cpuprofile`]
    : [];
}

const progressPrinter = (label: string) => (event: string, data: unknown) => {
  if (event === 'progress') {
    const d = data as { delivered: number; queued: number; perSecond: number };
    log(`  [${label}] ${d.delivered} delivered, ${d.queued} queued, ${d.perSecond}/s`);
  } else if (event === 'log') log(`  [${label}] ${String(data)}`);
};

export async function runFloor(
  o: Options,
  run: number,
): Promise<HttpRunResult & { run: number; serverRssMb: number; host?: CpuUse }> {
  const child = spawnChild('floor', { execArgv: flagsOf(o) });
  try {
    const { url } = await child.call<{ url: string }>('start', {
      databaseUrl: o.databaseUrl,
      schema: newSchema('floor'),
      poolMax: o.poolMax,
    });
    const body = JSON.stringify({ delegation: 'x'.repeat(900) }); // about a signed envelope's size
    const label = `floor run ${run}`;
    if (o.floorWarmup > 0)
      await httpClosedLoop(url, {
        path: '/items',
        body,
        n: o.floorWarmup,
        concurrency: o.concurrency,
      }); // warm-up
    const cpu0 = cpuSnapshot();
    const r = await httpClosedLoop(url, {
      path: '/items',
      body,
      n: o.floorRequests,
      concurrency: o.concurrency,
      onProgress: (done) => log(`  [${label}] ${done}/${o.floorRequests} requests`),
    });
    const host = perUnit(cpuUsed(cpu0, cpuSnapshot()), o.floorRequests);
    const u = await child.call<{ rssMb: number }>('usage');
    log(`  [${label}] ${Math.round(r.perSecond)} requests/s, p99 ${r.latency.p99Ms} ms`);
    return { ...r, run, serverRssMb: u.rssMb, ...(host ? { host } : {}) };
  } finally {
    await child.exit();
  }
}

export async function runGateways(
  o: Options,
  a: {
    driver: 'pg' | 'pglite';
    mode: 'closed' | 'fixed';
    run: number;
    n: number;
    profDir?: string;
  },
): Promise<GatewayRun> {
  const label = `${a.driver}${a.mode === 'fixed' ? ` ${o.rate}/s${o.queueCommit === 'group' ? ' group-committed' : ''}` : ''} run ${a.run}`;
  const keysDir = mkdtempSync(join(tmpdir(), 'tongban-bench-keys-'));
  const children: Child[] = [];
  try {
    for (const c of [SENDER, RECEIVER]) ensureCityKey(keysDir, c);
    const ports: Record<string, number> = {
      [SENDER]: await freePort(),
      [RECEIVER]: await freePort(),
    };
    const urls = Object.fromEntries(
      Object.entries(ports).map(([c, p]) => [c, `http://127.0.0.1:${p}`]),
    );
    const start = async (city: string) => {
      const child = spawnChild('gateway', {
        execArgv: [
          ...flagsOf(o),
          ...profArgs(o, a.profDir, `${a.driver}-${a.mode}-run${a.run}-${city}`),
        ],
        onEvent: progressPrinter(label),
      });
      children.push(child);
      await child.call('start', {
        city,
        port: ports[city],
        urls,
        keysDir,
        databaseUrl: a.driver === 'pg' ? o.databaseUrl : undefined,
        schema: a.driver === 'pg' ? newSchema(`c${city}`) : undefined,
        countQueries: o.countQueries,
      });
      return child;
    };
    const receiver = await start(RECEIVER);
    const sender = await start(SENDER);
    if (o.warmup > 0) {
      log(`  [${label}] warm-up: ${o.warmup} delegations`);
      await sender.call('closedLoop', {
        peer: RECEIVER,
        n: o.warmup,
        concurrency: o.concurrency,
        batch: o.batch,
        queueCommit: o.queueCommit,
        phase: 'warm-up',
      });
    }
    const recvCpu0 = (await receiver.call<{ cpuSeconds: number }>('usage')).cpuSeconds;
    if (o.countQueries)
      for (const c of [sender, receiver]) await c.call('queryCounts', { perDelegations: 1 });
    const cpu0 = cpuSnapshot();
    const r =
      a.mode === 'closed'
        ? await sender.call<RunResult>('closedLoop', {
            peer: RECEIVER,
            n: a.n,
            concurrency: o.concurrency,
            batch: o.batch,
            queueCommit: o.queueCommit,
            phase: 'run',
          })
        : await sender.call<RunResult & { offered: number }>('fixedRate', {
            peer: RECEIVER,
            rate: o.rate,
            seconds: o.rateSeconds,
            warmupSeconds: o.rateWarmup,
            phase: 'run',
            queueCommit: o.queueCommit,
          });
    const host = perUnit(cpuUsed(cpu0, cpuSnapshot()), r.delivered);
    if (o.countQueries) {
      for (const [who, c] of [
        ['sender', sender],
        ['receiver', receiver],
      ] as const) {
        const counts = await c.call<{ sql: string; perDelegation: number }[]>('queryCounts', {
          perDelegations: r.delivered,
        });
        const total = counts.reduce((t, x) => t + x.perDelegation, 0);
        log(`  [${label}] ${who}: ${total.toFixed(1)} SQL statements per delegation`);
        for (const x of counts.slice(0, 25))
          log(`      ${x.perDelegation.toFixed(2).padStart(6)}  ${x.sql}`);
      }
    }
    const su = await sender.call<{ rssMb: number; peakRssMb: number }>('usage');
    const ru = await receiver.call<{ rssMb: number; peakRssMb: number; cpuSeconds: number }>(
      'usage',
    );
    log(
      `  [${label}] ${Math.round(r.perSecond)} delegations/s, p50 ${r.latency.p50Ms} ms, p99 ${r.latency.p99Ms} ms` +
        `${r.retries || r.dead ? `, ${r.retries} retries, ${r.dead} dead` : ''}`,
    );
    return {
      ...r,
      driver: a.driver,
      mode: a.mode,
      run: a.run,
      memory: {
        senderRssMb: su.rssMb,
        senderPeakRssMb: su.peakRssMb,
        receiverRssMb: ru.rssMb,
        receiverPeakRssMb: ru.peakRssMb,
      },
      receiverCpuMsPerDelegation: ((ru.cpuSeconds - recvCpu0) * 1000) / Math.max(1, r.delivered),
      ...(host ? { host } : {}),
    };
  } finally {
    for (const c of children.reverse()) await c.exit();
    rmSync(keysDir, { recursive: true, force: true });
  }
}

export async function runLedger(o: Options): Promise<LedgerBenchResult> {
  const child = spawnChild('ledger-run', { onEvent: progressPrinter('ledger') });
  try {
    return await child.call<LedgerBenchResult>('run', {
      entries: o.ledgerEntries,
      databaseUrl: o.databaseUrl,
    });
  } finally {
    await child.exit();
  }
}
