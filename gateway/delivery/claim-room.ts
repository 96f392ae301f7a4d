/**
 * Pure: how many messages the next claim may take per peer. A healthy peer may have `cap`
 * requests in flight, a peer with failures on record one; each free request carries up to
 * `batchMax` messages where the peer takes batches, else one. Peers with no free request are
 * `full` (skipped by the claim); the healthy ones among them are `roomLimited` (the worker
 * claims again for them as soon as they have room: worker.ts, dbTurn).
 */
export function claimRoom(o: {
  peers: readonly string[];
  troubled: ReadonlySet<string>;
  cap: number;
  inFlight: (peer: string) => number;
  batches: (peer: string) => boolean;
  batchMax: number;
}): { room: Map<string, number>; full: string[]; roomLimited: string[] } {
  const room = new Map<string, number>();
  const full: string[] = [];
  const roomLimited: string[] = [];
  for (const peer of o.peers) {
    const slots = (o.troubled.has(peer) ? 1 : o.cap) - o.inFlight(peer);
    if (slots <= 0) {
      full.push(peer);
      if (!o.troubled.has(peer)) roomLimited.push(peer);
    }
    room.set(peer, Math.max(0, slots) * (o.batches(peer) ? o.batchMax : 1));
  }
  return { room, full, roomLimited };
}
