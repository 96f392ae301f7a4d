import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { StatusPoller } from '../../adapters/poller';
import type { Gateway } from '../runtime/context';
import { CircuitBreaker, DEFAULT_BREAKER, type BreakerOptions } from './circuit-breaker';
import { claimJobs, overdueJobs, releaseJobs, type OutboxJob } from './claim';
import { deliverBatch } from './deliver-batch';
import { deliverOne, type DeliveryEffects, type DeliveryResult, type Outcome } from './deliver-one';
import { groupRequests } from './group-requests';
import { ReadyQueue } from './ready-queue';
import { DeliveryStats, registerDeliveryStats } from './stats';

/** Most handed-off jobs waiting for a slot; beyond, new messages are written pending. */
const READY_MAX = 4096;

/**
 * Most requests in flight to one peer carrying handed-off jobs. Jobs that arrive meanwhile wait
 * and leave together in the next request (a batch), instead of one request each: at moderate
 * load this is what forms batches, and it costs less CPU on both sides (measured: bench at
 * 300/s, docs/operations.md). Rows claimed from the database still use the peer's full cap.
 */
const HANDOFF_REQUESTS_PER_PEER = 2;

export interface DeliveryObserver {
  (e: {
    peer: string;
    type: string;
    outcome: Outcome;
    ms: number;
    attempts: number;
    messageId: string;
    /** When the message was queued (outbox.created_at). */
    queuedAt: Date;
    error?: string;
  }): void;
}

export interface WorkerOptions {
  /**
   * Most sends to one healthy peer at a time (default: three quarters of the workers, at least
   * 1); a peer with failures on record gets one at a time.
   */
  perPeer?: number;
  breaker?: Partial<BreakerOptions>;
  /** Lease of a claimed row (default: 3 × the send timeout, at least timeout + 5 s). */
  leaseMs?: number;
  /** How often rows past their retry budget are dead-lettered (default 5 s). */
  sweepMs?: number;
}

const describe = (job: OutboxJob) => ({
  peer: job.peer,
  type: job.type,
  attempts: job.attempts,
  messageId: job.message_id,
  queuedAt: job.created_at,
});

/**
 * The outbox's delivery loop: claim due messages, send them concurrently (bounded overall and
 * per peer), settle each. `kick()` wakes it right after a commit; otherwise it polls. A peer
 * whose circuit is open gets nothing claimed but a single probe now and then, so a dead city
 * never takes the slots other cities need. `stop()` stops claiming and lets in-flight sends
 * finish (graceful SIGTERM), aborting those still running after the grace period (they go
 * back to pending at once); a SIGKILL loses nothing because claimed rows return to the queue
 * when their lease expires.
 */
export class DeliveryWorker {
  readonly id = `${hostname()}/${process.pid}/${randomBytes(3).toString('hex')}`;
  readonly breaker: CircuitBreaker;
  readonly stats: DeliveryStats;
  /** Status polling of cities whose platforms do not push (rest adapters). */
  readonly poller: StatusPoller;
  private readonly perPeer: number;
  private readonly leaseMs: number;
  private readonly sweepMs: number;
  private active = false;
  private readonly inFlight = new Map<Promise<unknown>, { peer: string; abort: AbortController }>();
  private readonly perPeerInFlight = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private wake: (() => void) | undefined;
  private kicked = false;
  private loopDone: Promise<void> | undefined;
  private readonly observers: DeliveryObserver[] = [];
  /** Peers that refused a batch request, until when they get single messages only. */
  private readonly noBatchUntil = new Map<string, number>();
  /** Handed-off jobs (claimed by us at queue time) waiting for a free slot. */
  private readonly ready = new ReadyQueue();
  /** Claim at the next turn (see dbTurn). */
  private dbDue = true;
  private nextPoll = 0;
  /** Healthy peers skipped by the last claim because they were at their in-flight cap. */
  private readonly roomLimited = new Set<string>();

  constructor(
    private readonly gw: Gateway,
    private readonly effects: DeliveryEffects,
    opts: WorkerOptions = {},
  ) {
    const d = gw.settings.delivery;
    this.perPeer = opts.perPeer ?? Math.max(1, d.workers - Math.ceil(d.workers / 4));
    this.leaseMs = opts.leaseMs ?? Math.max(3 * d.timeoutMs, d.timeoutMs + 5_000);
    this.sweepMs = opts.sweepMs ?? 5_000;
    // An open circuit never outlasts the longest retry delay (tests run with short ones).
    const openMs = Math.min(DEFAULT_BREAKER.openMs, d.maxDelayMs);
    const maxOpenMs = Math.max(openMs, Math.min(DEFAULT_BREAKER.maxOpenMs, d.maxDelayMs));
    this.breaker = new CircuitBreaker({ openMs, maxOpenMs, ...opts.breaker });
    this.poller = new StatusPoller(gw);
    this.stats = new DeliveryStats((p) => this.breaker.state(p));
    registerDeliveryStats(gw, this.stats);
  }

  onOutcome(o: DeliveryObserver): void {
    this.observers.push(o);
  }

  start(): void {
    if (this.active) return;
    this.active = true;
    this.loopDone = this.loop();
    this.poller.start();
  }

  /** Rows were committed to the outbox (or made due): claim from the database soon. */
  kick(): void {
    this.dbDue = true;
    this.nudge();
  }

  /** Wake the loop for work it already holds (handed-off jobs, a freed slot): no claim implied. */
  private nudge(): void {
    this.kicked = true;
    this.wake?.();
  }

  /**
   * Whether this turn of the loop claims from the database: when told rows were committed, when
   * the last claim found some (there may be more), when a peer that had due rows beyond its
   * in-flight cap has room again and no handed-off jobs to use it, and at every poll (rows
   * whose backoff ran out, other replicas' rows, expired leases). A worker whose messages all
   * go by direct hand-off therefore does not claim after every send.
   */
  private dbTurn(): boolean {
    if (this.dbDue || Date.now() >= this.nextPoll) return true;
    for (const p of this.roomLimited)
      if (!this.ready.has(p) && (this.perPeerInFlight.get(p) ?? 0) < this.perPeer) return true;
    return false;
  }

  /**
   * Direct hand-off, asked while a message is being queued: may it be written already claimed
   * by this worker? Yes while we run and the peer is healthy (no failures on record, circuit
   * closed) and the hand-off queue is not long; otherwise it is written pending and claimed as
   * usual.
   */
  leaseFor(peer: string): { worker: string; leaseMs: number } | undefined {
    if (!this.active || this.ready.size >= READY_MAX) return undefined;
    if (!this.breaker.healthy(peer)) return undefined;
    return { worker: this.id, leaseMs: this.leaseMs };
  }

  /** Direct hand-off, after the COMMIT that wrote these rows claimed by us: send them. */
  take(jobs: OutboxJob[]): void {
    if (!this.active) {
      void this.giveBack(jobs); // (logs its own failure; the lease then runs out)
      return;
    }
    this.ready.push(jobs, Date.now());
    this.nudge();
  }

  /** Sends under way in this process. */
  get busy(): number {
    return this.inFlight.size;
  }

  /** Claiming work (started and not stopped). */
  get running(): boolean {
    return this.active;
  }

  /**
   * Graceful stop: claim nothing more, let in-flight sends finish for up to `graceMs` (default:
   * the send timeout), then abort the rest; every row is settled before this resolves.
   */
  async stop(graceMs = this.gw.settings.delivery.timeoutMs): Promise<void> {
    this.active = false;
    this.kick();
    await this.loopDone;
    await this.giveBack(this.ready.drain());
    await this.poller.stop();
    const all = Promise.allSettled([...this.inFlight.keys()]);
    let t: NodeJS.Timeout | undefined;
    await Promise.race([all, new Promise((r) => (t = setTimeout(r, graceMs)))]);
    clearTimeout(t);
    for (const f of this.inFlight.values()) f.abort.abort();
    await all;
  }

  private async loop(): Promise<void> {
    const d = this.gw.settings.delivery;
    let nextSweep = Date.now() + Math.min(this.sweepMs, 1_000);
    while (this.active) {
      this.kicked = false;
      if (Date.now() >= nextSweep) {
        await this.sweep().catch((e: unknown) => {
          if (this.active) this.gw.log.warn({ err: e }, 'outbox budget sweep failed');
        });
        nextSweep = Date.now() + this.sweepMs;
      }
      let claimed = 0;
      try {
        claimed = await this.launchReady(d.workers - this.inFlight.size);
        if (d.workers - this.inFlight.size > 0 && this.dbTurn()) {
          this.dbDue = false;
          this.nextPoll = Date.now() + d.pollMs;
          const n = await this.claimRound(d.workers - this.inFlight.size);
          if (n > 0) this.dbDue = true;
          claimed += n;
        }
      } catch (e) {
        if (this.active) this.gw.log.warn({ err: e }, 'outbox claim failed');
      }
      if (!this.active) break;
      if ((claimed === 0 || this.inFlight.size >= d.workers) && !this.kicked)
        await this.sleep(Math.max(1, Math.min(d.pollMs, this.nextPoll - Date.now())));
    }
  }

  /**
   * Send handed-off jobs, oldest first, as far as free workers and each peer's in-flight cap
   * allow (batched like claimed ones). Jobs whose peer has meanwhile got into trouble, or that
   * waited for a slot longer than half their lease, go back to pending (then backoff, probes
   * and the claim's fairness apply as for any other row).
   */
  private async launchReady(free: number): Promise<number> {
    if (this.ready.size === 0) return 0;
    const now = Date.now();
    const back = this.ready.takeWhere(
      (job, since) => !this.breaker.healthy(job.peer) || now - since > this.leaseMs / 2,
    );
    if (back.length > 0) await this.giveBack(back);
    let launched = 0;
    for (const [peer, jobs] of this.ready.byPeer()) {
      if (free - launched <= 0) break;
      const slots = Math.min(
        free - launched,
        Math.min(this.perPeer, HANDOFF_REQUESTS_PER_PEER) - (this.perPeerInFlight.get(peer) ?? 0),
      );
      if (slots <= 0) continue;
      const { groups } = groupRequests(jobs, {
        slots,
        batchMax: this.gw.settings.delivery.batchMax,
        batches: (p) => this.batches(p, new Set()),
      });
      for (const g of groups) {
        this.ready.remove(g);
        this.launch(g, false);
      }
      launched += groups.length;
    }
    return launched;
  }

  /** Claimed rows we will not send now back to pending (if this fails, their lease runs out). */
  private async giveBack(jobs: readonly OutboxJob[]): Promise<void> {
    if (jobs.length === 0) return;
    await releaseJobs(this.gw.store, jobs, this.id).catch((e: unknown) =>
      this.gw.log.warn({ err: e }, 'giving back handed-off rows failed; their lease will expire'),
    );
  }

  /** Whether messages to `peer` may share a request now. */
  private batches(peer: string, troubled: ReadonlySet<string>): boolean {
    return (
      this.gw.settings.delivery.batchMax > 1 &&
      !troubled.has(peer) &&
      this.gw.cities.get(peer)?.adapter.kind !== 'rest' && // rest: the city's own platform
      this.gw.cities.gatewayUrl(peer) !== undefined &&
      (this.noBatchUntil.get(peer) ?? 0) <= Date.now()
    );
  }

  private async claimRound(free: number): Promise<number> {
    if (free <= 0) return 0;
    let claimed = 0;
    const base = { leaseMs: this.leaseMs, worker: this.id };
    // Half-open circuits first: one probe message each.
    for (const peer of this.breaker.probePeers()) {
      if (free - claimed <= 0) break;
      if ((this.perPeerInFlight.get(peer) ?? 0) > 0) continue; // stragglers still out
      const [job] = await claimJobs(this.gw.store, {
        ...base,
        limit: 1,
        onlyPeer: peer,
        skipPeers: [],
      });
      if (!job) continue;
      this.breaker.probing(peer);
      this.launch([job], true);
      claimed++;
    }
    // A healthy peer may use most workers; a peer that has failed lately only one, so a city
    // going dark holds at most `perPeer` workers for one timeout, then one. A worker sends one
    // message, or to a healthy gateway peer a batch of up to `batchMax` (one request).
    const B = this.gw.settings.delivery.batchMax;
    const troubled = new Set(this.breaker.troubledPeers());
    const batches = (peer: string) => this.batches(peer, troubled);
    const skip = new Set([...this.breaker.blockedPeers(), ...this.breaker.probePeers()]);
    const room = new Map<string, number>(); // in messages
    this.roomLimited.clear();
    for (const c of this.gw.cities.all()) {
      const slots = (troubled.has(c.id) ? 1 : this.perPeer) - (this.perPeerInFlight.get(c.id) ?? 0);
      if (slots <= 0 && !troubled.has(c.id)) this.roomLimited.add(c.id);
      if (slots <= 0) skip.add(c.id);
      room.set(c.id, Math.max(0, slots) * (batches(c.id) ? B : 1));
    }
    const slots = free - claimed;
    const jobs = await claimJobs(this.gw.store, {
      ...base,
      limit: slots * B,
      skipPeers: [...skip],
      perPeerRoom: room,
      perPeerDefault: 1,
    });
    const { groups, unused } = groupRequests(jobs, { slots, batchMax: B, batches });
    for (const g of groups) this.launch(g, false);
    // (if this fails, those rows are taken again when their lease runs out)
    if (unused.length > 0) await releaseJobs(this.gw.store, unused, this.id);
    return claimed + groups.length;
  }

  private launch(jobs: OutboxJob[], probe: boolean): void {
    const abort = new AbortController();
    const peer = jobs[0]!.peer;
    for (let i = 0; i < jobs.length; i++) this.stats.started(peer);
    this.perPeerInFlight.set(peer, (this.perPeerInFlight.get(peer) ?? 0) + 1);
    const opts = {
      signal: abort.signal,
      worker: this.id,
      onBatchRefused: () => {
        this.noBatchUntil.set(peer, Date.now() + 10 * 60_000);
        this.dbDue = true; // its messages are pending again, to go one by one at once
      },
    };
    const sent =
      jobs.length === 1
        ? deliverOne(this.gw, jobs[0]!, this.effects, opts).then((r) => [r])
        : deliverBatch(this.gw, jobs, this.effects, opts);
    const p = sent
      .then((rs) => {
        rs.forEach((r, i) => this.settled(jobs[i]!, r, probe));
      })
      .catch((e: unknown) => {
        // Typically the database went away mid-settle: the rows stay claimed until their lease
        // expires and are then taken again. Nothing to undo here.
        if (probe) this.breaker.release(peer);
        for (let i = 0; i < jobs.length; i++)
          this.stats.finished(peer, 'retry', 0, `settle failed: ${(e as Error).message}`);
        if (this.active)
          this.gw.log.error(
            { err: e, outbox: jobs.map((j) => j.id) },
            'delivery failed unexpectedly',
          );
      })
      .finally(() => {
        this.inFlight.delete(p);
        const n = (this.perPeerInFlight.get(peer) ?? 1) - 1;
        if (n > 0) this.perPeerInFlight.set(peer, n);
        else this.perPeerInFlight.delete(peer);
        this.nudge();
      });
    this.inFlight.set(p, { peer, abort });
  }

  private settled(job: OutboxJob, r: DeliveryResult, probe: boolean): void {
    switch (r.peer) {
      case 'up':
        this.breaker.success(job.peer);
        break;
      case 'down':
        this.breaker.failure(job.peer);
        break;
      case 'throttled':
        this.breaker.pause(job.peer, r.retryAfterMs ?? 0);
        break;
      case 'none':
        if (probe) this.breaker.release(job.peer);
        break;
    }
    this.stats.finished(job.peer, r.outcome, r.ms, r.outcome === 'delivered' ? undefined : r.error);
    if (r.outcome === 'delivered') this.poller.kick(job.peer);
    if (r.outcome === 'dead')
      this.gw.log.warn(
        { outbox: job.id, peer: job.peer, type: job.type, error: r.error },
        'delivery dead-lettered',
      );
    for (const o of this.observers) {
      try {
        o({ ...describe(job), outcome: r.outcome, ms: r.ms, error: r.error });
      } catch (e) {
        this.gw.log.warn({ err: e }, 'delivery observer failed');
      }
    }
  }

  /**
   * Dead-letter pending rows whose retry budget is spent (plus a grace for their final attempt)
   * and that nobody sends, e.g. because their peer's circuit stays open.
   */
  private async sweep(): Promise<void> {
    const budgetMs = this.gw.settings.delivery.budgetMs;
    const graceMs = Math.min(60_000, budgetMs);
    const done = await this.gw.store.tx(async (q) => {
      const jobs = await overdueJobs(q, budgetMs + graceMs, 100);
      const out: { job: OutboxJob; reason: string }[] = [];
      for (const job of jobs) {
        const r = await q.query<{ last_error: string }>(
          `UPDATE outbox SET status = 'dead', dead_at = now(), claimed_until = NULL, claimed_by = NULL,
                  last_error = 'retry budget spent; last error: ' || COALESCE(last_error, 'none')
            WHERE id = $1 RETURNING last_error`,
          [job.id],
        );
        const reason = r.rows[0]!.last_error;
        await this.effects.dead(q, job, reason);
        out.push({ job, reason });
      }
      return out;
    });
    for (const { job, reason } of done) {
      this.stats.expiredOne(job.peer, reason);
      this.gw.log.warn(
        { outbox: job.id, peer: job.peer, type: job.type },
        'delivery dead-lettered: retry budget spent',
      );
      for (const o of this.observers) {
        try {
          o({ ...describe(job), outcome: 'dead', ms: 0, error: reason });
        } catch {
          /* observers never stop the sweep */
        }
      }
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.wake = () => {
        clearTimeout(this.timer);
        this.wake = undefined;
        resolve();
      };
      this.timer = setTimeout(() => this.wake?.(), ms);
    });
  }
}
