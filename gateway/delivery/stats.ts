import type { Queryable } from '../store';
import type { BreakerState } from './circuit-breaker';

/**
 * Delivery metrics per peer, kept in process by the worker: plain numbers a metrics exporter
 * (prom-client in gateway/metrics) can read on scrape. Counters only ever grow; `inFlight` is a
 * gauge; latency is a cumulative histogram of successful sends (ms).
 *
 *   const stats = deliveryStatsOf(gw);          // undefined before the worker exists
 *   for (const p of stats?.snapshot() ?? []) gauge.set({ peer: p.peer }, p.inFlight);
 *   await outboxDepth(gw.store);               // queue depth per peer/status, from the database
 */
export const LATENCY_BUCKETS_MS = [5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000] as const;

export type AttemptOutcome = 'delivered' | 'retry' | 'dead' | 'superseded';

export interface PeerDeliveryStats {
  peer: string;
  /** Sends under way right now (gauge). */
  inFlight: number;
  /** Most sends ever under way at once to this peer. */
  peakInFlight: number;
  /** Finished send attempts, by outcome (counters). */
  attempts: Record<AttemptOutcome, number>;
  /** Attempts that ended in a retry: same as attempts.retry, named for dashboards. */
  retries: number;
  /** Messages dead-lettered (after a refusal, or with the retry budget spent). */
  deadLetters: number;
  /** Messages dead-lettered by the budget sweep without a last send (peer's circuit open). */
  expired: number;
  /** Successful sends: count, sum, and cumulative buckets (le, in ms). */
  latency: { count: number; sumMs: number; buckets: { le: number; count: number }[] };
  breaker: BreakerState;
  lastError: string | null;
  lastErrorAt: string | null;
}

interface Mutable {
  inFlight: number;
  peakInFlight: number;
  attempts: Record<AttemptOutcome, number>;
  expired: number;
  latencyCount: number;
  latencySum: number;
  buckets: number[];
  lastError: string | null;
  lastErrorAt: string | null;
}

export class DeliveryStats {
  private readonly peers = new Map<string, Mutable>();

  constructor(private readonly breakerState: (peer: string) => BreakerState = () => 'closed') {}

  private of(peer: string): Mutable {
    let m = this.peers.get(peer);
    if (!m) {
      m = {
        inFlight: 0,
        peakInFlight: 0,
        attempts: { delivered: 0, retry: 0, dead: 0, superseded: 0 },
        expired: 0,
        latencyCount: 0,
        latencySum: 0,
        buckets: LATENCY_BUCKETS_MS.map(() => 0),
        lastError: null,
        lastErrorAt: null,
      };
      this.peers.set(peer, m);
    }
    return m;
  }

  started(peer: string): void {
    const m = this.of(peer);
    m.inFlight += 1;
    m.peakInFlight = Math.max(m.peakInFlight, m.inFlight);
  }

  finished(peer: string, outcome: AttemptOutcome, ms: number, error?: string): void {
    const m = this.of(peer);
    m.inFlight = Math.max(0, m.inFlight - 1);
    m.attempts[outcome] += 1;
    if (outcome === 'delivered') {
      m.latencyCount += 1;
      m.latencySum += ms;
      LATENCY_BUCKETS_MS.forEach((le, i) => {
        if (ms <= le) m.buckets[i]! += 1;
      });
    }
    if (error) {
      m.lastError = error;
      m.lastErrorAt = new Date().toISOString();
    }
  }

  /** The budget sweep dead-lettered a message without sending it. */
  expiredOne(peer: string, error: string): void {
    const m = this.of(peer);
    m.expired += 1;
    m.lastError = error;
    m.lastErrorAt = new Date().toISOString();
  }

  snapshot(): PeerDeliveryStats[] {
    return [...this.peers.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([peer, m]) => ({
        peer,
        inFlight: m.inFlight,
        peakInFlight: m.peakInFlight,
        attempts: { ...m.attempts },
        retries: m.attempts.retry,
        deadLetters: m.attempts.dead + m.expired,
        expired: m.expired,
        latency: {
          count: m.latencyCount,
          sumMs: m.latencySum,
          buckets: LATENCY_BUCKETS_MS.map((le, i) => ({ le, count: m.buckets[i]! })),
        },
        breaker: this.breakerState(peer),
        lastError: m.lastError,
        lastErrorAt: m.lastErrorAt,
      }));
  }

  peer(peer: string): PeerDeliveryStats | undefined {
    return this.snapshot().find((p) => p.peer === peer);
  }
}

/** The stats of each running gateway's worker, by its Gateway object (several per process in tests). */
const registry = new WeakMap<object, DeliveryStats>();

export function registerDeliveryStats(gw: object, stats: DeliveryStats): void {
  registry.set(gw, stats);
}

export function deliveryStatsOf(gw: object): DeliveryStats | undefined {
  return registry.get(gw);
}

export interface OutboxDepth {
  peer: string;
  status: 'pending' | 'in_flight' | 'dead';
  count: number;
  /** Age of the oldest such row, seconds. */
  oldestSeconds: number;
}

/** Queue depth per peer and status, shared by every replica (from the database). */
export async function outboxDepth(q: Queryable): Promise<OutboxDepth[]> {
  const r = await q.query<{
    peer: string;
    status: OutboxDepth['status'];
    count: number;
    oldest: number;
  }>(
    `SELECT peer, status, count(*)::int AS count,
            COALESCE(EXTRACT(EPOCH FROM now() - min(created_at)), 0)::float8 AS oldest
       FROM outbox WHERE status IN ('pending', 'in_flight', 'dead')
      GROUP BY peer, status ORDER BY peer, status`,
  );
  return r.rows.map((x) => ({
    peer: x.peer,
    status: x.status,
    count: Number(x.count),
    oldestSeconds: Number(x.oldest),
  }));
}
