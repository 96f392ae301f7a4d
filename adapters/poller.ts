import { applyStatusReport } from '../gateway/cases/delivery-effects';
import { TERMINAL } from '../gateway/cases/transitions';
import type { Gateway } from '../gateway/runtime/context';
import { adapterFor, pulledCities } from './index';
import { isAdapterError } from './errors';
import { DEFAULT_POLL_INTERVAL_MS, RestAdapter } from './rest/rest-adapter';

/** Delegations worth asking about: handed over and not decided for good. */
const NOT_POLLED = [...TERMINAL, 'submitted', 'failed'];
const BATCH = 200;

/**
 * Registration side, for cities whose platform does not push (rest adapters): every
 * `pollIntervalMs`, ask the platform for the status of each open delegation there and apply a
 * change like a signed callback (gateway/cases/delivery-effects.ts `applyStatusReport`). One
 * loop per city, one request at a time per city; `kick(city)` polls it now (after a delivery).
 */
export class StatusPoller {
  private running = false;
  private stopping = false;
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly busy = new Map<string, Promise<void>>();
  private readonly again = new Set<string>();

  constructor(private readonly gw: Gateway) {}

  /** The cities polled (those reached through a pull adapter). */
  cities(): string[] {
    return pulledCities(this.gw);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.stopping = false;
    for (const city of this.cities()) this.schedule(city, 0);
  }

  kick(city: string): void {
    if (!this.running || !this.timers.has(city)) {
      if (this.busy.has(city)) this.again.add(city);
      return;
    }
    clearTimeout(this.timers.get(city));
    this.schedule(city, 0);
  }

  async stop(): Promise<void> {
    this.running = false;
    this.stopping = true;
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    await Promise.allSettled([...this.busy.values()]);
  }

  /** Poll one city once (tests and `kick`); resolves when every answer is applied. */
  async pollOnce(city: string): Promise<number> {
    const adapter = adapterFor(this.gw, city);
    if (!adapter || adapter.statusMode !== 'pull') return 0;
    const open = await this.gw.store.query<{ id: string }>(
      `SELECT id FROM delegations WHERE penalising_city = $1 AND NOT (status = ANY($2::text[]))
        ORDER BY updated_at, id LIMIT $3`,
      [city, NOT_POLLED, BATCH],
    );
    let applied = 0;
    for (const { id } of open.rows) {
      if (this.stopping) break;
      try {
        const a = await adapter.status(id);
        const r = await this.gw.store.tx((q) =>
          applyStatusReport(this.gw, q, city, a.value, a.evidence),
        );
        if (r.applied) {
          applied++;
          this.gw.log.info(
            { delegation: id, city, status: a.value.status, seq: r.seq },
            'platform status applied',
          );
        }
      } catch (e) {
        const level = isAdapterError(e) && e.retryable ? 'debug' : 'warn';
        this.gw.log[level]({ err: e, delegation: id, city }, 'platform status poll failed');
      }
    }
    if (applied > 0) this.gw.kickCheckpoint();
    return applied;
  }

  private interval(city: string): number {
    const a = adapterFor(this.gw, city);
    return a instanceof RestAdapter ? a.pollIntervalMs : DEFAULT_POLL_INTERVAL_MS;
  }

  private schedule(city: string, ms: number): void {
    if (!this.running) return;
    const t = setTimeout(() => {
      this.timers.delete(city);
      const run = this.pollOnce(city)
        .then(() => undefined)
        .catch((e: unknown) => {
          if (this.running) this.gw.log.warn({ err: e, city }, 'platform status poll failed');
        })
        .finally(() => {
          this.busy.delete(city);
          const now = this.again.delete(city);
          this.schedule(city, now ? 0 : this.interval(city));
        });
      this.busy.set(city, run);
    }, ms);
    t.unref?.();
    this.timers.set(city, t);
  }
}
