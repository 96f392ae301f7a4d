import { currentCheckpoint } from '../exchange/ledger-port';
import { queueMessage } from '../exchange/outbound';
import type { Gateway } from '../runtime/context';
import type { Queryable } from '../store';
import type { DelegationStatus } from './transitions';
import type { CallbackBody, SyncTarget } from './types';

export interface InboxRow {
  id: string;
  case_id: string;
  registration_city: string;
  company: { uscc: string; name: string };
  records: unknown[];
  materials: unknown[];
  status: DelegationStatus;
  seq: number;
  reason: string | null;
  materials_requested: string[];
  sync_targets: string[];
  received_at: Date;
  updated_at: Date;
}

export async function lockInboxItem(q: Queryable, id: string): Promise<InboxRow | undefined> {
  const r = await q.query<InboxRow>('SELECT * FROM inbox_items WHERE id = $1 FOR UPDATE', [id]);
  return r.rows[0];
}

/**
 * Penalising side: move a received delegation to `status` and queue the signed status callback
 * to its registration city, with the next per-delegation sequence number, in the caller's
 * transaction.
 */
export async function changeInboxStatus(
  gw: Gateway,
  q: Queryable,
  item: InboxRow,
  status: DelegationStatus,
  extra: {
    reason?: string;
    materialsRequested?: string[];
    syncTargets?: SyncTarget[];
    materials?: unknown[];
  } = {},
): Promise<void> {
  const seq = item.seq + 1;
  const checkpoint = await currentCheckpoint(q);
  const at = gw.now().toISOString();
  await q.query(
    `UPDATE inbox_items SET status = $2, seq = $3, reason = $4, materials_requested = $5, sync_targets = $6,
            materials = $7, updated_at = $8 WHERE id = $1`,
    [
      item.id,
      status,
      seq,
      extra.reason ?? (status === item.status ? item.reason : null),
      JSON.stringify(
        extra.materialsRequested ??
          (status === 'materials_requested' ? item.materials_requested : []),
      ),
      JSON.stringify(extra.syncTargets ?? item.sync_targets),
      JSON.stringify(extra.materials ?? item.materials),
      at,
    ],
  );
  const body: CallbackBody = {
    delegationId: item.id,
    seq,
    status,
    at,
    ...(extra.reason ? { reason: extra.reason } : {}),
    ...(extra.materialsRequested ? { materialsRequested: extra.materialsRequested } : {}),
    ...(extra.syncTargets ? { syncTargets: extra.syncTargets } : {}),
    ...(checkpoint ? { checkpoint } : {}),
  };
  await queueMessage(gw, q, {
    type: 'callback',
    to: item.registration_city,
    body,
    caseRef: item.case_id,
    delegationId: item.id,
  });
}
