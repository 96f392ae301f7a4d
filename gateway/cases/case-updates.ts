import type { Queryable } from '../store';
import { deriveCaseStatus } from './case-status';
import type { DelegationStatus } from './transitions';

/** Recompute and store a case's derived status after one of its delegations changed. */
export async function refreshCaseStatus(q: Queryable, caseId: string, at: string): Promise<void> {
  await refreshCaseStatuses(q, [caseId], at);
}

/**
 * refreshCaseStatus for several cases with two statements whatever their number (a batch of
 * receipts touches one case per delegation): their delegations read at once, each status
 * derived by the one rule (case-status.ts), the cases updated by set.
 */
export async function refreshCaseStatuses(
  q: Queryable,
  caseIds: readonly string[],
  at: string,
): Promise<void> {
  const ids = [...new Set(caseIds)].sort(); // one order for the row locks
  if (ids.length === 0) return;
  const r = await q.query<{ case_id: string; status: DelegationStatus }>(
    'SELECT case_id, status FROM delegations WHERE case_id = ANY($1::text[])',
    [ids],
  );
  const of = new Map<string, DelegationStatus[]>(ids.map((id) => [id, []]));
  for (const row of r.rows) of.get(row.case_id)?.push(row.status);
  await q.query(
    `UPDATE cases c SET status = u.status, updated_at = $3
       FROM unnest($1::text[], $2::text[]) AS u(id, status) WHERE c.id = u.id`,
    [ids, ids.map((id) => deriveCaseStatus(of.get(id)!)), at],
  );
}
