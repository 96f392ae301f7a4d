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
import { runFixedRate } from './fixed-rate';
import { cpuMs, progressTicker, type Outcome, type RunResult } from './load';
import { serveParent } from './proc';
import { summarise } from './stats';

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

/**
 * Closed loop: keep `concurrency` delegations queued-but-not-receipted, topping up with one unit
 * of work per top-up (at most `batch` delegations; group-committed as intake is, or with
 * `queueCommit: 'tx'` a transaction of its own), until `n` are delivered.
 */
async function closedLoop(a: {
  peer: string;
  n: number;
  concurrency: number;
  batch: number;
  queueCommit?: 'tx' | 'group';
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
      let scheduled = false;
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
              await queueBatch(
                a.peer,
                k,
                (id) => {
                  ids.push(id);
                  t0Of.set(id, t);
                },
                a.queueCommit,
              );
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
        else if (!scheduled) {
          // A batch's receipts are reported one by one in the same tick: top up once for all
          // of them (a top-up started at the first would queue one delegation alone).
          scheduled = true;
          queueMicrotask(() => {
            scheduled = false;
            void topUp();
          });
        }
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

/** See runFixedRate (bench/fixed-rate.ts): each delegation queued as intake would queue it. */
function fixedRate(a: Parameters<typeof runFixedRate>[0] & { queueCommit?: 'tx' | 'group' }) {
  return runFixedRate(a, {
    queueOne: (onId) => queueBatch(a.peer, 1, onId, a.queueCommit),
    listen: (fn) => (onOutcome = fn),
  });
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
