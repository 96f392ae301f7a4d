/**
 * The fixed-rate (open-loop) run of the bench child (bench/gateway.ts), and its optional
 * per-delegation trace (`TONGBAN_BENCH_TRACE`, bench/README.md).
 */
import { writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { cpuMs, progressTicker, type Outcome, type RunResult } from './load';
import { summarise } from './stats';

/**
 * One line per measured delegation: due time (ms from the run's start), latency, the exchange's
 * own time (request start to answer verified) and the time to intake's COMMIT, in ms.
 */
class LatencyTrace {
  private readonly lines: string[] = [];
  private readonly committedAt = new Map<string, number>();
  constructor(private readonly started: number) {}

  committed(id: string): void {
    this.committedAt.set(id, performance.now());
  }

  delivered(e: Outcome, due: number, now: number): void {
    const committed = this.committedAt.get(e.messageId) ?? now;
    this.committedAt.delete(e.messageId);
    this.lines.push(
      `${(due - this.started).toFixed(1)} ${(now - due).toFixed(2)} ${e.ms} ${(committed - due).toFixed(2)}`,
    );
  }

  text(): string {
    return this.lines.join('\n');
  }
}

/**
 * Open loop at a fixed offered rate: delegation i is due at start + i/rate and is queued in its
 * own transaction (as one case filed through intake would be). Latency counts from the due time,
 * so a stalled generator cannot hide queueing delay. The first `warmupSeconds` are not counted.
 */
export async function runFixedRate(
  a: {
    peer: string;
    rate: number;
    seconds: number;
    warmupSeconds: number;
    phase: string;
  },
  load: {
    /** Queue one delegation; `onId` gets its message id before the transaction commits. */
    queueOne(onId: (id: string) => void): Promise<void>;
    /** Hear (or, with undefined, stop hearing) the delivery worker's outcomes. */
    listen(fn: ((e: Outcome) => void) | undefined): void;
  },
): Promise<RunResult & { offered: number }> {
  const total = Math.round(a.rate * a.seconds);
  const skip = Math.round(a.rate * a.warmupSeconds);
  const interval = 1000 / a.rate;
  const t0Of = new Map<string, { t: number; i: number }>();
  const lat: number[] = [];
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
  const trace = process.env.TONGBAN_BENCH_TRACE ? new LatencyTrace(started) : undefined;
  try {
    await new Promise<void>((resolve, reject) => {
      const deadline = setTimeout(
        () => reject(new Error(`fixed-rate run did not drain: ${delivered + dead}/${total}`)),
        (a.seconds + 60) * 1000,
      );
      const queueOne = (i: number, due: number) => {
        let id = '';
        load
          .queueOne((x) => t0Of.set((id = x), { t: due, i }))
          .then(() => {
            queued++;
            trace?.committed(id);
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
      load.listen((e) => {
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
            trace?.delivered(e, x.t, now);
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
      });
    });
  } finally {
    load.listen(undefined);
    stopTicker();
  }
  const seconds = (performance.now() - started) / 1000;
  if (trace) writeFileSync(process.env.TONGBAN_BENCH_TRACE!, trace.text());
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
