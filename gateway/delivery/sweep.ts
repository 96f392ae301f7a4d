import type { Gateway } from '../runtime/context';
import { overdueJobs, type OutboxJob } from './claim';
import type { DeliveryEffects } from './outcome';

/**
 * Dead-letter pending rows whose retry budget is spent (plus a grace for their final attempt)
 * and that nobody sends, e.g. because their peer's circuit stays open: at most 100 per call, in
 * one transaction with their effects. Returns what it dead-lettered and why.
 */
export async function sweepOverdue(
  gw: Gateway,
  effects: DeliveryEffects,
): Promise<{ job: OutboxJob; reason: string }[]> {
  const budgetMs = gw.settings.delivery.budgetMs;
  const graceMs = Math.min(60_000, budgetMs);
  return gw.store.tx(async (q) => {
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
      await effects.dead(q, job, reason);
      out.push({ job, reason });
    }
    return out;
  });
}
