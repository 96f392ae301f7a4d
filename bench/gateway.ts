/**
 * Bench child: one city's gateway (startGateway, real HTTP, real store), plus the load driver
 * that runs on the sending side. Load is put in the way intake does it, without the liaison
 * API in front: `queueMessages` inside `store.tx` (sign, ledger append, message index, outbox
 * rows in one transaction), then a kick of the delivery worker. Latency is taken per message from the start of the transaction that
 * queued it to the delivery worker's report that the peer's signed receipt is stored (its
 * transaction committed).
 */
import { performance } from 'node:perf_hooks';
import pino from 'pino';
import { queueMessages } from '../gateway/exchange/outbound';
import { startGateway, type RunningGateway } from '../gateway/runtime/start';
import type { SettingsInput } from '../gateway/config/settings';
import { openStore, type Queryable } from '../gateway/store';
import { groupCommit } from '../gateway/store/group-commit';
import { counted, takeCounts } from './count-queries';
import { delegationBody } from './delegation';
import { notifyParent, serveParent } from './proc';
import { summarise, type LatencySummary } from './stats';

export interface StartArgs {
  city: string;
  port: number;
  urls: Record<string, string>;
  keysDir: string;
  /** postgres://… or undefined for the embedded store (in memory). */
  databaseUrl?: string;
  schema?: string;
  settings?: SettingsInput;
  /** Count SQL statements by kind (wraps the store; a diagnostic, adds a little overhead). */
  countQueries?: boolean;
}

export interface RunResult {
  delivered: number;
  dead: number;
  retries: number;
  seconds: number;
  perSecond: number;
  latency: LatencySummary;
  /** CPU time this process spent per delivered delegation (user + system). */
  cpuMsPerDelegation: number;
}

interface Outcome {
  outcome: string;
  messageId: string;
  /** From the request's start to its answer verified (DeliveryObserver). */
  ms: number;
}

let g: RunningGateway | undefined;
let onOutcome: ((e: Outcome) => void) | undefined;
let peakRss = 0;
const rssSampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 200);
rssSampler.unref();

function gateway(): RunningGateway {
  if (!g) throw new Error('gateway not started');
  return g;
}

async function start(a: StartArgs) {
  const store = a.countQueries
    ? counted(
        await openStore({
          databaseUrl: a.databaseUrl,
          schema: a.schema ?? `city_${a.city}`,
          poolMax: a.settings?.databasePoolMax,
        }),
      )
    : undefined;
  g = await startGateway({
    ...a.settings,
    store,
    cityId: a.city,
    port: a.port,
    keysDir: a.keysDir,
    databaseUrl: a.databaseUrl,
    databaseSchema: a.schema,
    urlOverrides: a.urls,
    logger: pino({ level: process.env.BENCH_LOG_LEVEL ?? 'warn' }),
  });
  g.delivery.onOutcome((e) => onOutcome?.(e));
  return { url: g.url, pid: process.pid, driver: g.gw.store.driver };
}

/**
 * Queue `k` delegations to `peer` in one transaction (queueMessages: one ledger append, one
 * index INSERT, one outbox INSERT); `t0` is recorded for each before commit. With `group`,
 * concurrent calls share commits (gateway/store/group-commit.ts) as intake could.
 */
async function queueBatch(
  peer: string,
  k: number,
  t0: (id: string) => void,
  commit: 'tx' | 'group' = 'tx',
): Promise<void> {
  const { gw } = gateway();
  const run = <T>(fn: (q: Queryable) => Promise<T>) =>
    // tx: a transaction per batch, planned like intake's (group-commit.ts)
    commit === 'group' ? groupCommit(gw.store).run(fn) : gw.store.tx(fn, { genericPlans: true });
  await run(async (q) => {
    const items = Array.from({ length: k }, () => {
      const body = delegationBody(gw.self.id, peer, gw.now());
      return {
        type: 'delegation.create' as const,
        to: peer,
        body,
        caseRef: body.caseId,
        delegationId: body.delegationId,
      };
    });
    for (const env of await queueMessages(gw, q, items)) t0(env.id);
  });
  // (no kick: queued messages reach the delivery worker by their after-commit hook)
}

function cpuMs(): number {
  const u = process.resourceUsage();
  return (u.userCPUTime + u.systemCPUTime) / 1000;
}

function progressTicker(phase: string, counts: () => { delivered: number; queued: number }) {
  let last = { t: performance.now(), delivered: 0 };
  const timer = setInterval(() => {
    const c = counts();
    const t = performance.now();
    notifyParent('progress', {
      phase,
      ...c,
      perSecond: Math.round(((c.delivered - last.delivered) * 1000) / (t - last.t)),
    });
    last = { t, delivered: c.delivered };
  }, 1000);
  return () => clearInterval(timer);
}

/**
 * Closed loop: keep `concurrency` delegations queued-but-not-receipted, topping up in one
 * transaction per top-up (at most `batch` per transaction), until `n` are delivered.
 */
async function closedLoop(a: {
  peer: string;
  n: number;
  concurrency: number;
  batch: number;
  phase: string;
}): Promise<RunResult> {
  const t0Of = new Map<string, number>();
  const lat: number[] = [];
  let queued = 0;
  let delivered = 0;
  let dead = 0;
  let retries = 0;
  const cpu0 = cpuMs();
  const started = performance.now();
  const stopTicker = progressTicker(a.phase, () => ({ delivered, queued }));
  try {
    await new Promise<void>((resolve, reject) => {
      let topping = false;
      let again = false;
      const topUp = async (): Promise<void> => {
        if (topping) {
          again = true;
          return;
        }
        topping = true;
        try {
          for (;;) {
            again = false;
            const k = Math.min(a.concurrency - t0Of.size, a.n - queued, a.batch);
            if (k <= 0) break;
            const t = performance.now();
            const ids: string[] = [];
            try {
              await queueBatch(a.peer, k, (id) => {
                ids.push(id);
                t0Of.set(id, t);
              });
            } catch (e) {
              for (const id of ids) t0Of.delete(id);
              throw e;
            }
            queued += k;
          }
        } catch (e) {
          reject(e as Error);
        } finally {
          topping = false;
        }
        if (again) void topUp();
      };
      onOutcome = (e) => {
        const t = t0Of.get(e.messageId);
        if (t === undefined) return;
        if (e.outcome === 'retry') {
          retries++;
          return;
        }
        t0Of.delete(e.messageId);
        if (e.outcome === 'delivered') {
          delivered++;
          lat.push(performance.now() - t);
        } else dead++;
        if (delivered + dead >= a.n) resolve();
        else void topUp();
      };
      void topUp();
    });
  } finally {
    onOutcome = undefined;
    stopTicker();
  }
  const seconds = (performance.now() - started) / 1000;
  return {
    delivered,
    dead,
    retries,
    seconds,
    perSecond: delivered / seconds,
    latency: summarise(lat),
    cpuMsPerDelegation: (cpuMs() - cpu0) / Math.max(1, delivered),
  };
}

/**
 * Open loop at a fixed offered rate: delegation i is due at start + i/rate and is queued in its
 * own transaction (as one case filed through intake would be). Latency counts from the due time,
 * so a stalled generator cannot hide queueing delay. The first `warmupSeconds` are not counted.
 */
async function fixedRate(a: {
  peer: string;
  rate: number;
  seconds: number;
  warmupSeconds: number;
  phase: string;
  queueCommit?: 'tx' | 'group';
}): Promise<RunResult & { offered: number }> {
  const total = Math.round(a.rate * a.seconds);
  const skip = Math.round(a.rate * a.warmupSeconds);
  const interval = 1000 / a.rate;
  const t0Of = new Map<string, { t: number; i: number }>();
  const lat: number[] = [];
  const trace: string[] | undefined = process.env.TONGBAN_BENCH_TRACE ? [] : undefined;
  const committedAt = new Map<string, number>();
  let sent = 0;
  let queued = 0;
  let delivered = 0;
  let dead = 0;
  let retries = 0;
  let measuredDelivered = 0;
  let firstMeasured = 0;
  let lastMeasured = 0;
  const cpu0 = cpuMs();
  const stopTicker = progressTicker(a.phase, () => ({ delivered, queued }));
  const started = performance.now();
  try {
    await new Promise<void>((resolve, reject) => {
      const deadline = setTimeout(
        () => reject(new Error(`fixed-rate run did not drain: ${delivered + dead}/${total}`)),
        (a.seconds + 60) * 1000,
      );
      const queueOne = (i: number, due: number) => {
        let id = '';
        queueBatch(a.peer, 1, (x) => t0Of.set((id = x), { t: due, i }), a.queueCommit)
          .then(() => {
            queued++;
            if (trace) committedAt.set(id, performance.now());
          })
          .catch((e: unknown) => reject(e as Error));
      };
      // Wake at the next due time (not every millisecond: a busy-polling generator would spend
      // the sender's CPU and be counted as the gateway's).
      let timer: NodeJS.Timeout | undefined;
      const tick = () => {
        const now = performance.now();
        const due = Math.min(total, Math.floor((now - started) / interval) + 1);
        while (sent < due) {
          queueOne(sent, started + sent * interval);
          sent++;
        }
        if (sent < total) timer = setTimeout(tick, Math.max(0, started + sent * interval - now));
      };
      tick();
      onOutcome = (e) => {
        const x = t0Of.get(e.messageId);
        if (!x) return;
        if (e.outcome === 'retry') {
          retries++;
          return;
        }
        t0Of.delete(e.messageId);
        const now = performance.now();
        if (e.outcome === 'delivered') {
          delivered++;
          if (x.i >= skip) {
            lat.push(now - x.t);
            trace?.push(
              `${(x.t - started).toFixed(1)} ${(now - x.t).toFixed(2)} ${e.ms} ${((committedAt.get(e.messageId) ?? now) - x.t).toFixed(2)}`,
            );
            measuredDelivered++;
            firstMeasured ||= x.t;
            lastMeasured = now;
          }
        } else dead++;
        if (delivered + dead >= total) {
          clearTimeout(deadline);
          clearTimeout(timer);
          resolve();
        }
      };
    });
  } finally {
    onOutcome = undefined;
    stopTicker();
  }
  const seconds = (performance.now() - started) / 1000;
  if (trace)
    (await import('node:fs')).writeFileSync(process.env.TONGBAN_BENCH_TRACE!, trace.join('\n'));
  return {
    offered: a.rate,
    delivered,
    dead,
    retries,
    seconds,
    perSecond: measuredDelivered / Math.max(0.001, (lastMeasured - firstMeasured) / 1000),
    latency: summarise(lat),
    cpuMsPerDelegation: (cpuMs() - cpu0) / Math.max(1, delivered),
  };
}

async function usage() {
  const u = process.resourceUsage();
  const m = process.memoryUsage();
  return {
    rssMb: Math.round(m.rss / 2 ** 20),
    peakRssMb: Math.round(Math.max(peakRss, m.rss) / 2 ** 20),
    heapUsedMb: Math.round(m.heapUsed / 2 ** 20),
    cpuSeconds: (u.userCPUTime + u.systemCPUTime) / 1e6,
  };
}

/** Statement counts since the last call, per delivered delegation of the last run. */
async function queryCounts(a: { perDelegations: number }) {
  return takeCounts(a.perDelegations);
}

async function scrape(): Promise<string> {
  const res = await fetch(`${gateway().url}/metrics`);
  return res.text();
}

serveParent({ start, closedLoop, fixedRate, usage, scrape, queryCounts }, async () => {
  await g?.close();
});
