import type { Queryable } from '../store';
import { deriveCaseStatus } from './case-status';
import type { DelegationStatus } from './transitions';

/** Recompute and store a case's derived status after one of its delegations changed. */
export async function refreshCaseStatus(q: Queryable, caseId: string, at: string): Promise<void> {
  const r = await q.query<{ status: DelegationStatus }>(
    'SELECT status FROM delegations WHERE case_id = $1',
    [caseId],
  );
  await q.query('UPDATE cases SET status = $2, updated_at = $3 WHERE id = $1', [
    caseId,
    deriveCaseStatus(r.rows.map((x) => x.status)),
    at,
  ]);
}
