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

/**
 * Slots of requests already answered but kept while their receipts are stored, because too few
 * handed-off jobs waited at the answer to fill the next request (freeSlotWhenAnswered,
 * handoff.ts). Under load the next batch is usually still being queued at that moment; it then
 * leaves as soon as it is there, not when the receipts are stored (which, measured, left the
 * receiver idle a third of the time in the closed loop). A request that ends frees its own slot.
 */
export class HeldSlots {
  private readonly held = new Map<string, Set<() => void>>();

  /** Keep this answered request's slot (`release` frees it) until enough jobs wait. */
  hold(peer: string, release: () => void): void {
    let set = this.held.get(peer);
    if (!set) this.held.set(peer, (set = new Set()));
    set.add(release);
  }

  /** The request ended and frees its slot itself: forget it. */
  drop(peer: string, release: () => void): void {
    const set = this.held.get(peer);
    if (!set?.delete(release) || set.size > 0) return;
    this.held.delete(peer);
  }

  /** `enough` jobs wait for the peer now: free its held slots; how many were freed. */
  releaseIf(peer: string, enough: boolean): number {
    const set = this.held.get(peer);
    if (!set || !enough) return 0;
    this.held.delete(peer);
    for (const release of set) release();
    return set.size;
  }
}
