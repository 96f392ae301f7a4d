import type { Queryable } from '../store';
import type { OutboxJob } from './claim';

/** One row of `delivery_attempts` (idempotent: a repeated attempt number is ignored). */
export async function logAttempt(
  q: Queryable,
  job: Pick<OutboxJob, 'id' | 'attempts'>,
  outcome: string,
  status: number | null,
  error: string | null,
  ms: number,
  worker?: string,
): Promise<void> {
  await q.query(
    `INSERT INTO delivery_attempts (outbox_id, attempt, outcome, http_status, error, ms, worker)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (outbox_id, attempt) DO NOTHING`,
    [job.id, job.attempts, outcome, status, error, ms, worker ?? null],
  );
}
