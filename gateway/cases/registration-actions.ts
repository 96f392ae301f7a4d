import type { Principal } from '../auth/roles';
import { TongbanError } from '../errors';
import { lockLedgerFirst } from '../exchange/ledger-lock';
import { queueMessage } from '../exchange/outbound';
import type { Gateway } from '../runtime/context';
import { refreshCaseStatus } from './case-updates';
import { isTerminal, type DelegationStatus } from './transitions';
import type { Material } from './types';

/** Withdrawal by the company reaches every open delegation of the case. */
export async function withdrawCase(
  gw: Gateway,
  who: Principal,
  caseId: string,
  reason?: string,
): Promise<number> {
  const sent = await gw.store.tx(async (q) => {
    await lockLedgerFirst(q);
    const c = await q.query('SELECT 1 FROM cases WHERE id = $1 FOR UPDATE', [caseId]);
    if (c.rowCount === 0) throw new TongbanError('not_found', `No case ${caseId}`);
    const ds = await q.query<{ id: string; penalising_city: string; status: DelegationStatus }>(
      'SELECT id, penalising_city, status FROM delegations WHERE case_id = $1',
      [caseId],
    );
    const open = ds.rows.filter((d) => !isTerminal(d.status));
    if (open.length === 0)
      throw new TongbanError(
        'illegal_transition',
        `Case ${caseId} has no open delegation to withdraw`,
      );
    for (const d of open) {
      await queueMessage(gw, q, {
        type: 'delegation.withdrawal',
        to: d.penalising_city,
        body: { delegationId: d.id, ...(reason ? { reason } : {}) },
        caseRef: caseId,
        delegationId: d.id,
      });
    }
    return open.length;
  });
  gw.log.info({ case: caseId, by: who.sub, delegations: sent }, 'withdrawal queued');
  gw.kickDelivery();
  return sent;
}

/** Answer a penalising city's materials request once; the delegation resumes there. */
export async function supplyMaterials(
  gw: Gateway,
  who: Principal,
  delegationId: string,
  materials: Material[],
  note?: string,
): Promise<void> {
  await gw.store.tx(async (q) => {
    await lockLedgerFirst(q);
    const r = await q.query<{ case_id: string; penalising_city: string; status: DelegationStatus }>(
      'SELECT case_id, penalising_city, status FROM delegations WHERE id = $1 FOR UPDATE',
      [delegationId],
    );
    const d = r.rows[0];
    if (!d) throw new TongbanError('not_found', `No delegation ${delegationId}`);
    if (d.status !== 'materials_requested') {
      throw new TongbanError(
        'illegal_transition',
        `Delegation ${delegationId} is ${d.status}; no materials were requested`,
      );
    }
    await q.query(`UPDATE cases SET materials = materials || $2::jsonb WHERE id = $1`, [
      d.case_id,
      JSON.stringify(materials),
    ]);
    await queueMessage(gw, q, {
      type: 'delegation.materials',
      to: d.penalising_city,
      body: { delegationId, materials, ...(note ? { note } : {}) },
      caseRef: d.case_id,
      delegationId,
    });
  });
  gw.log.info({ delegation: delegationId, by: who.sub }, 'materials supplied');
  gw.kickDelivery();
}

/** Operators: put a dead letter back in the queue; its delegation is submitted again. */
export async function replayDelivery(gw: Gateway, who: Principal, outboxId: number): Promise<void> {
  await gw.store.tx(async (q) => {
    const r = await q.query<{ status: string; delegation_id: string | null; type: string }>(
      'SELECT status, delegation_id, type FROM outbox WHERE id = $1 FOR UPDATE',
      [outboxId],
    );
    const row = r.rows[0];
    if (!row) throw new TongbanError('not_found', `No delivery ${outboxId}`);
    if (row.status !== 'dead')
      throw new TongbanError(
        'illegal_transition',
        `Delivery ${outboxId} is ${row.status}, not dead`,
      );
    await q.query(
      `UPDATE outbox SET status = 'pending', next_attempt_at = now(), created_at = now(), dead_at = NULL WHERE id = $1`,
      [outboxId],
    );
    if (row.type === 'delegation.create' && row.delegation_id) {
      const u = await q.query<{ case_id: string }>(
        `UPDATE delegations SET status = 'submitted', updated_at = $2 WHERE id = $1 AND status = 'failed' RETURNING case_id`,
        [row.delegation_id, gw.now().toISOString()],
      );
      if (u.rows[0]) await refreshCaseStatus(q, u.rows[0].case_id, gw.now().toISOString());
    }
  });
  gw.log.info({ outbox: outboxId, by: who.sub }, 'delivery replayed');
  gw.kickDelivery();
}
