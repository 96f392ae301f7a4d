import { recordAdapterAnswer } from '../../adapters/ledger-entry';
import type { Evidence, StatusReport } from '../../adapters/types';
import type { DeliveryEffects } from '../delivery/outcome';
import { HEAD_WRITTEN, type AttachedUpdate } from '../ledger';
import type { Gateway } from '../runtime/context';
import type { Queryable } from '../store';
import { refreshCaseStatus, refreshCaseStatuses } from './case-updates';
import type { DelegationStatus } from './transitions';

/** What a delivered or dead-lettered message means for the registration side's delegations. */
export function deliveryEffects(gw: Gateway): DeliveryEffects {
  /** The delegations the receipts acknowledge, delivered by one UPDATE; then their cases. */
  const deliveredWith = (done: Parameters<DeliveryEffects['delivered']>[1]) => {
    for (const { job, ack } of done) gw.witness(job.peer, ack.checkpoint ?? null);
    const created = done.filter((d) => d.job.type === 'delegation.create' && d.job.delegation_id);
    if (created.length === 0) return undefined;
    // One statement for all of them (a batch's receipts); then their cases, also by set.
    const rows: AttachedUpdate = {
      update: `UPDATE delegations d SET status = 'delivered', received_at = u.received_at, updated_at = $3
         FROM unnest($1::text[], $2::timestamptz[]) AS u(id, received_at)
        WHERE d.id = u.id AND d.status IN ('submitted', 'failed') AND ${HEAD_WRITTEN}`,
      params: [
        created.map((d) => d.job.delegation_id),
        created.map((d) => d.ack.receivedAt),
        gw.now().toISOString(),
      ],
      returning: 'd.case_id',
    };
    const after = (q: Queryable, returned: readonly Record<string, unknown>[]) =>
      refreshCaseStatuses(
        q,
        returned.map((x) => x.case_id as string),
        gw.now().toISOString(),
      );
    return { rows, after };
  };
  return {
    deliveredWith,
    async delivered(q, done) {
      const effect = deliveredWith(done);
      if (!effect) return;
      // On its own: no append to require (ledger/store/attach.ts).
      const r = await q.query<{ case_id: string }>(
        `${effect.rows.update.replace(HEAD_WRITTEN, 'true')} RETURNING ${effect.rows.returning}`,
        [...effect.rows.params],
      );
      await effect.after(q, r.rows);
    },
    async dead(q, job) {
      if (job.type !== 'delegation.create' || !job.delegation_id) return;
      const r = await q.query<{ case_id: string }>(
        `UPDATE delegations SET status = 'failed', updated_at = $2 WHERE id = $1 AND status = 'submitted' RETURNING case_id`,
        [job.delegation_id, gw.now().toISOString()],
      );
      const caseId = r.rows[0]?.case_id;
      if (caseId) await refreshCaseStatus(q, caseId, gw.now().toISOString());
    },
  };
}

export interface StatusApplied {
  applied: boolean;
  /** Why not: a newer status is already applied, nothing changed, or no such delegation there. */
  reason?: 'stale' | 'unchanged' | 'unknown';
  seq?: number;
}

/**
 * Registration side: a status a polled city's platform reported, applied exactly like a
 * signed status callback (same update, same seq rule: a lower or equal seq never overwrites),
 * with the platform's answer appended to the ledger (kind `adapter`) in the same transaction.
 * A platform without sequence numbers gets the next seq whenever what it says changed.
 */
export async function applyStatusReport(
  gw: Gateway,
  q: Queryable,
  city: string,
  report: StatusReport,
  evidence: Evidence,
): Promise<StatusApplied> {
  const r = await q.query<{
    case_id: string;
    penalising_city: string;
    seq: number;
    status: DelegationStatus;
    reason: string | null;
    materials_requested: string[];
  }>(
    'SELECT case_id, penalising_city, seq, status, reason, materials_requested FROM delegations WHERE id = $1 FOR UPDATE',
    [report.delegationId],
  );
  const d = r.rows[0];
  if (!d || d.penalising_city !== city) return { applied: false, reason: 'unknown' };
  let seq: number;
  if (report.seq !== undefined) {
    if (report.seq <= d.seq) return { applied: false, reason: 'stale', seq: d.seq };
    seq = report.seq;
  } else {
    const same =
      report.status === d.status &&
      (report.reason ?? null) === d.reason &&
      JSON.stringify(report.materialsRequested ?? []) ===
        JSON.stringify(d.materials_requested ?? []);
    if (same) return { applied: false, reason: 'unchanged', seq: d.seq };
    seq = d.seq + 1;
  }
  const at = gw.now().toISOString();
  await recordAdapterAnswer(q, {
    at,
    evidence,
    delegationId: report.delegationId,
    outcome: { applied: true, status: report.status, seq, from: d.status },
  });
  await q.query(
    `UPDATE delegations SET status = $2, seq = $3, reason = $4, materials_requested = $5, sync_targets = $6, updated_at = $7,
            received_at = COALESCE(received_at, $7) WHERE id = $1`,
    [
      report.delegationId,
      report.status,
      seq,
      report.reason ?? null,
      JSON.stringify(report.materialsRequested ?? []),
      JSON.stringify(report.syncTargets ?? []),
      at,
    ],
  );
  await refreshCaseStatus(q, d.case_id, at);
  return { applied: true, seq };
}
