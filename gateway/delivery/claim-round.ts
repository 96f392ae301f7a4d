import type { Gateway } from '../runtime/context';
import type { CircuitBreaker } from './circuit-breaker';
import { claimJobs, releaseJobs, type OutboxJob } from './claim';
import { claimRoom } from './claim-room';
import { groupRequests } from './group-requests';

/** What one claim round needs of the delivery worker (worker.ts). */
export interface ClaimContext {
  gw: Gateway;
  breaker: CircuitBreaker;
  worker: string;
  leaseMs: number;
  /** In-flight request cap of a healthy peer. */
  perPeer: number;
  inFlight(peer: string): number;
  batches(peer: string, troubled: ReadonlySet<string>): boolean;
  launch(jobs: OutboxJob[], probe: boolean): void;
}

/**
 * One claim from the database for `free` workers: first one probe message for each half-open
 * circuit, then due rows within each peer's room, grouped into requests and launched; rows
 * beyond the free workers go straight back. A healthy peer may use most workers, a peer that
 * has failed lately only one, so a city going dark holds at most `perPeer` workers for one
 * timeout, then one. A worker sends one message, or to a healthy gateway peer a batch of up to
 * `batchMax` (one request). Returns the requests started and the healthy peers that were at
 * their cap.
 */
export async function claimRound(
  c: ClaimContext,
  free: number,
): Promise<{ started: number; roomLimited: string[] }> {
  if (free <= 0) return { started: 0, roomLimited: [] };
  let started = 0;
  const base = { leaseMs: c.leaseMs, worker: c.worker };
  for (const peer of c.breaker.probePeers()) {
    if (free - started <= 0) break;
    if (c.inFlight(peer) > 0) continue; // stragglers still out
    const [job] = await claimJobs(c.gw.store, { ...base, limit: 1, onlyPeer: peer, skipPeers: [] });
    if (!job) continue;
    c.breaker.probing(peer);
    c.launch([job], true);
    started++;
  }
  const B = c.gw.settings.delivery.batchMax;
  const troubled = new Set(c.breaker.troubledPeers());
  const batches = (peer: string) => c.batches(peer, troubled);
  const plan = claimRoom({
    peers: c.gw.cities.all().map((city) => city.id),
    troubled,
    cap: c.perPeer,
    inFlight: c.inFlight,
    batches,
    batchMax: B,
  });
  const slots = free - started;
  const jobs = await claimJobs(c.gw.store, {
    ...base,
    limit: slots * B,
    skipPeers: [...c.breaker.blockedPeers(), ...c.breaker.probePeers(), ...plan.full],
    perPeerRoom: plan.room,
    perPeerDefault: 1,
  });
  const { groups, unused } = groupRequests(jobs, { slots, batchMax: B, batches });
  for (const g of groups) c.launch(g, false);
  // (if this fails, those rows are taken again when their lease runs out)
  if (unused.length > 0) await releaseJobs(c.gw.store, unused, c.worker);
  return { started: started + groups.length, roomLimited: plan.roomLimited };
}
