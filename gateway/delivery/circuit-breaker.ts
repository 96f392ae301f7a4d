import type { PeerSignal } from './outcome';

export type BreakerState = 'closed' | 'open' | 'half_open';

export interface BreakerOptions {
  /** Consecutive failures that open the circuit. */
  threshold: number;
  /** First open period; doubled on every failed probe, up to maxOpenMs. */
  openMs: number;
  maxOpenMs: number;
}

export const DEFAULT_BREAKER: BreakerOptions = { threshold: 3, openMs: 2_000, maxOpenMs: 60_000 };

interface PeerCircuit {
  failures: number;
  /** Open periods in a row without a success (drives the doubling). */
  opens: number;
  openUntil: number;
  probing: boolean;
}

/**
 * A per-peer circuit breaker. Closed: every due message to the peer is sent. After `threshold`
 * consecutive failures it opens: nothing is sent to that peer (its messages wait in the outbox
 * without spending attempts). When the open period ends it is half-open: exactly one probe
 * message is sent; success closes the circuit, failure opens it again for twice as long.
 * A peer that answers 429/503 with Retry-After is paused for that long the same way.
 *
 * Only transport failures, timeouts and 5xx count as failures: a peer that refuses a message
 * (4xx) is alive. One dead city therefore never occupies the workers other cities need.
 */
export class CircuitBreaker {
  private readonly peers = new Map<string, PeerCircuit>();
  private readonly opts: BreakerOptions;

  constructor(
    opts: Partial<BreakerOptions> = {},
    private readonly now: () => number = Date.now,
  ) {
    this.opts = { ...DEFAULT_BREAKER, ...opts };
  }

  private circuit(peer: string): PeerCircuit {
    let c = this.peers.get(peer);
    if (!c) this.peers.set(peer, (c = { failures: 0, opens: 0, openUntil: 0, probing: false }));
    return c;
  }

  state(peer: string): BreakerState {
    const c = this.peers.get(peer);
    if (!c || c.openUntil === 0) return 'closed';
    return c.openUntil > this.now() ? 'open' : 'half_open';
  }

  /** Peers nothing may be claimed for right now (open, or half-open with the probe out). */
  blockedPeers(): string[] {
    return [...this.peers.keys()].filter((p) => {
      const s = this.state(p);
      return s === 'open' || (s === 'half_open' && this.circuit(p).probing);
    });
  }

  /** Peers with any trouble on record (failures, open, paused): they get one send at a time. */
  troubledPeers(): string[] {
    return [...this.peers.keys()];
  }

  /** No trouble on record for this peer (the only peers that get direct hand-off). */
  healthy(peer: string): boolean {
    return !this.peers.has(peer);
  }

  /** Half-open peers waiting for their single probe. */
  probePeers(): string[] {
    return [...this.peers.keys()].filter(
      (p) => this.state(p) === 'half_open' && !this.circuit(p).probing,
    );
  }

  /** The worker claimed the probe message for a half-open peer. */
  probing(peer: string): void {
    this.circuit(peer).probing = true;
  }

  /** The peer answered (delivered, or refused with a 4xx: either way it is up). */
  success(peer: string): void {
    this.peers.delete(peer);
  }

  failure(peer: string): void {
    const c = this.circuit(peer);
    const state = this.state(peer);
    if (state === 'open') return; // stragglers sent before the circuit opened change nothing
    if (state === 'half_open') {
      if (!c.probing) return; // a send that started before the circuit opened
      this.open(c);
      return;
    }
    c.failures += 1;
    if (c.failures >= this.opts.threshold) this.open(c);
  }

  /** 429 / 503 with Retry-After: pause the peer at least that long. */
  pause(peer: string, ms: number): void {
    const c = this.circuit(peer);
    c.openUntil = Math.max(c.openUntil, this.now() + ms);
    c.probing = false;
  }

  /** What a delivery's result says about its peer (`probe`: it was the half-open probe). */
  record(peer: string, signal: PeerSignal, retryAfterMs: number | undefined, probe: boolean): void {
    if (signal === 'up') this.success(peer);
    else if (signal === 'down') this.failure(peer);
    else if (signal === 'throttled') this.pause(peer, retryAfterMs ?? 0);
    else if (probe) this.release(peer);
  }

  /** A probe ended without a verdict (e.g. shutdown): allow another one. */
  release(peer: string): void {
    const c = this.peers.get(peer);
    if (c) c.probing = false;
  }

  private open(c: PeerCircuit): void {
    c.opens += 1;
    c.failures = 0;
    c.probing = false;
    c.openUntil =
      this.now() + Math.min(this.opts.maxOpenMs, this.opts.openMs * 2 ** Math.min(c.opens - 1, 20));
  }

  snapshot(): Record<string, { state: BreakerState; openUntil: number | null; opens: number }> {
    const out: Record<string, { state: BreakerState; openUntil: number | null; opens: number }> =
      {};
    for (const [p, c] of this.peers) {
      out[p] = { state: this.state(p), openUntil: c.openUntil || null, opens: c.opens };
    }
    return out;
  }
}
