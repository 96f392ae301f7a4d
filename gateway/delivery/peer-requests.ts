/**
 * Requests in flight to each peer (the peer's slots), which hand-off and claims keep under the
 * peer's cap. A slot is taken when a request starts and freed once: when the peer has answered
 * (freeSlotWhenAnswered, handoff.ts) or when the request is settled, whichever comes first.
 */
export class PeerRequests {
  private readonly counts = new Map<string, number>();

  count(peer: string): number {
    return this.counts.get(peer) ?? 0;
  }

  /** Take one of the peer's slots; the function frees it, true only on its first call. */
  take(peer: string): () => boolean {
    this.counts.set(peer, this.count(peer) + 1);
    let freed = false;
    return () => {
      if (freed) return false;
      freed = true;
      const n = this.count(peer) - 1;
      if (n > 0) this.counts.set(peer, n);
      else this.counts.delete(peer);
      return true;
    };
  }
}
