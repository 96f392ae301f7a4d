import type { OutboxJob } from './claim';
import { groupRequests } from './group-requests';
import type { ReadyQueue } from './ready-queue';

/** Most handed-off jobs waiting for a slot; beyond, new messages are written pending. */
export const READY_MAX = 4096;

/**
 * Most requests in flight to one peer carrying handed-off jobs. Jobs that arrive meanwhile wait
 * and leave together in the next request (a batch), instead of one request each: under load
 * this is what forms batches, and a batch costs less CPU on both sides than its messages sent
 * apart. One request at a time to a peer that takes batches (measured in the bench against two:
 * ≈ 10 % less machine CPU per delegation in the closed loop, the same p99 at 300 /s;
 * docs/operations.md); two to a peer that takes one message per request, where a request is
 * no batch. Rows claimed from the database still use the peer's full cap.
 */
export const HANDOFF_REQUESTS_PER_PEER = { batches: 1, single: 2 } as const;

/**
 * Whether a request's peer slot is freed as soon as the peer has answered, before the answer is
 * verified and stored: when at least half a batch of handed-off jobs already waits for that
 * peer. Under load the next request then leaves while the sender stores the last one's receipt
 * (the receiver no longer idles meanwhile: +11 % delegations/s in the closed loop, measured);
 * with fewer waiting, the slot is kept until the receipt is stored, so the jobs keep gathering
 * into one batch (freeing it always meant more, smaller requests: +10 % CPU per delegation at
 * 300 /s).
 */
export function freeSlotWhenAnswered(waiting: number, batchMax: number): boolean {
  return waiting >= Math.max(2, Math.floor(batchMax / 2));
}

export interface HandoffOptions {
  /** Requests that may start now (free workers). */
  free: number;
  now: number;
  /** A job waiting longer than this goes back to pending (half its lease). */
  maxWaitMs: number;
  healthy(peer: string): boolean;
  /** The peer's in-flight cap for claimed rows, and its requests in flight now. */
  cap: number;
  inFlight(peer: string): number;
  batchMax: number;
  batches(peer: string): boolean;
}

/**
 * Which handed-off jobs to send now and which to give back (docs/delivery.md, *Direct
 * hand-off*); takes both out of `ready`. Oldest first per peer, batched like claimed ones,
 * within the free workers and `min(cap, HANDOFF_REQUESTS_PER_PEER)` requests per peer. Jobs
 * whose peer has meanwhile got into trouble, or that waited too long, go back (then backoff,
 * probes and the claim's fairness apply as for any other row).
 */
export function planHandoff(
  ready: ReadyQueue,
  o: HandoffOptions,
): { launch: OutboxJob[][]; giveBack: OutboxJob[] } {
  const giveBack = ready.takeWhere(
    (job, since) => !o.healthy(job.peer) || o.now - since > o.maxWaitMs,
  );
  const launch: OutboxJob[][] = [];
  for (const [peer, jobs] of ready.byPeer()) {
    const free = o.free - launch.length;
    if (free <= 0) break;
    const batched = o.batches(peer) && o.batchMax > 1;
    const most = batched ? HANDOFF_REQUESTS_PER_PEER.batches : HANDOFF_REQUESTS_PER_PEER.single;
    const slots = Math.min(free, Math.min(o.cap, most) - o.inFlight(peer));
    if (slots <= 0) continue;
    const { groups } = groupRequests(jobs, { slots, batchMax: o.batchMax, batches: o.batches });
    for (const g of groups) ready.remove(g);
    launch.push(...groups);
  }
  return { launch, giveBack };
}
