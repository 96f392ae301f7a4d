import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { StatusPoller } from '../../adapters/poller';
import type { Gateway } from '../runtime/context';
import { CircuitBreaker, DEFAULT_BREAKER } from './circuit-breaker';
import { releaseJobs, type OutboxJob } from './claim';
import { claimRound } from './claim-round';
import { Alarm } from './alarm';
import { deliverBatch } from './deliver-batch';
import { deliverOne } from './deliver-one';
import type { DeliveryEffects, DeliveryResult, Outcome } from './outcome';
import { freeSlotWhenAnswered, planHandoff, READY_MAX } from './handoff';
import { HeldSlots, PeerRequests } from './peer-requests';
import { ReadyQueue } from './ready-queue';
import { sweepOverdue } from './sweep';
import { DeliveryStats, registerDeliveryStats } from './stats';
import { describe, type DeliveryObserver, type WorkerOptions } from './worker-options';

export type { DeliveryObserver, WorkerOptions } from './worker-options';

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
  private readonly peerRequests = new PeerRequests();
  private readonly alarm = new Alarm();
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
  private roomLimited = new Set<string>();
  /** Answered requests' slots kept while their receipts are stored (peer-requests.ts). */
  private readonly heldSlots = new HeldSlots();

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
    this.alarm.ring();
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
      if (!this.ready.has(p) && this.peerRequests.count(p) < this.perPeer) return true;
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
    for (const peer of new Set(jobs.map((j) => j.peer)))
      this.heldSlots.releaseIf(peer, this.enoughWaiting(peer));
    this.nudge();
  }

  /** Enough handed-off jobs wait for `peer` to fill its next request (freeSlotWhenAnswered). */
  private enoughWaiting(peer: string): boolean {
    return freeSlotWhenAnswered(this.ready.countOf(peer), this.batchMax);
  }

  private get batchMax(): number {
    return this.gw.settings.delivery.batchMax;
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
      this.alarm.rung = false;
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
      if ((claimed === 0 || this.inFlight.size >= d.workers) && !this.alarm.rung)
        await this.alarm.sleep(Math.max(1, Math.min(d.pollMs, this.nextPoll - Date.now())));
    }
  }

  /** Send the handed-off jobs that may go now; give back those that should not wait. */
  private async launchReady(free: number): Promise<number> {
    if (this.ready.size === 0) return 0;
    const { launch, giveBack } = planHandoff(this.ready, {
      free,
      now: Date.now(),
      maxWaitMs: this.leaseMs / 2,
      healthy: (p) => this.breaker.healthy(p),
      cap: this.perPeer,
      inFlight: (p) => this.peerRequests.count(p),
      batchMax: this.gw.settings.delivery.batchMax,
      batches: (p) => this.batches(p, new Set()),
    });
    await this.giveBack(giveBack);
    for (const g of launch) this.launch(g, false);
    return launch.length;
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

  /** Claim from the database for the free workers and launch (claim-round.ts). */
  private async claimRound(free: number): Promise<number> {
    const r = await claimRound(
      {
        gw: this.gw,
        breaker: this.breaker,
        worker: this.id,
        leaseMs: this.leaseMs,
        perPeer: this.perPeer,
        inFlight: (p) => this.peerRequests.count(p),
        batches: (p, troubled) => this.batches(p, troubled),
        launch: (jobs, probe) => this.launch(jobs, probe),
      },
      free,
    );
    this.roomLimited = new Set(r.roomLimited);
    return r.started;
  }

  private launch(jobs: OutboxJob[], probe: boolean): void {
    const abort = new AbortController();
    const peer = jobs[0]!.peer;
    for (let i = 0; i < jobs.length; i++) this.stats.started(peer);
    // The peer's slot is freed at its answer when enough jobs wait for the next request
    // (freeSlotWhenAnswered, handoff.ts), else as soon as enough do, or once this request is
    // settled.
    const free = this.peerRequests.take(peer);
    const release = () => {
      this.heldSlots.drop(peer, release);
      if (free()) this.nudge();
    };
    const opts = {
      signal: abort.signal,
      worker: this.id,
      onBatchRefused: () => {
        this.noBatchUntil.set(peer, Date.now() + 10 * 60_000);
        this.dbDue = true; // its messages are pending again, to go one by one at once
      },
      onAnswered: () => {
        // Too few wait to fill the next request now: keep the slot while the receipts are
        // stored, unless enough arrive before that (take).
        if (this.enoughWaiting(peer)) release();
        else this.heldSlots.hold(peer, release);
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
        release();
        this.nudge();
      });
    this.inFlight.set(p, { peer, abort });
  }

  private settled(job: OutboxJob, r: DeliveryResult, probe: boolean): void {
    this.breaker.record(job.peer, r.peer, r.retryAfterMs, probe);
    this.stats.finished(job.peer, r.outcome, r.ms, r.outcome === 'delivered' ? undefined : r.error);
    if (r.outcome === 'delivered') this.poller.kick(job.peer);
    if (r.outcome === 'dead')
      this.gw.log.warn(
        { outbox: job.id, peer: job.peer, type: job.type, error: r.error },
        'delivery dead-lettered',
      );
    this.notify(job, r);
  }

  /** Dead-letter what outlived its retry budget (sweep.ts), and say so. */
  private async sweep(): Promise<void> {
    for (const { job, reason } of await sweepOverdue(this.gw, this.effects)) {
      this.stats.expiredOne(job.peer, reason);
      this.gw.log.warn(
        { outbox: job.id, peer: job.peer, type: job.type },
        'delivery dead-lettered: retry budget spent',
      );
      this.notify(job, { outcome: 'dead', ms: 0, error: reason });
    }
  }

  /** Tell the observers (an observer's failure is logged, never stops delivery). */
  private notify(job: OutboxJob, r: { outcome: Outcome; ms: number; error?: string }): void {
    for (const o of this.observers) {
      try {
        o({ ...describe(job), outcome: r.outcome, ms: r.ms, error: r.error });
      } catch (e) {
        this.gw.log.warn({ err: e }, 'delivery observer failed');
      }
    }
  }
}
