import { TongbanError } from '../errors';
import type { Gateway } from '../runtime/context';
import type { InboxRow } from './callbacks';
import { slaClock } from './sla-clock';
import { allowedActions, type DelegationStatus } from './transitions';
import type { InboxItemWire } from './types';

function toItem(gw: Gateway, r: InboxRow): InboxItemWire {
  return {
    id: r.id,
    caseId: r.case_id,
    registrationCity: r.registration_city,
    registrationCityName: gw.cities.nameOf(r.registration_city),
    company: r.company,
    status: r.status,
    seq: r.seq,
    records: r.records as InboxItemWire['records'],
    materials: r.materials as InboxItemWire['materials'],
    materialsRequested: r.materials_requested,
    reason: r.reason,
    syncTargets: r.sync_targets,
    allowedActions: allowedActions(r.status),
    sla: slaClock(gw.cities, gw.self.id, r.received_at, r.status, gw.now()),
    receivedAt: new Date(r.received_at).toISOString(),
    updatedAt: new Date(r.updated_at).toISOString(),
  };
}

/** Penalising side: the officers' work queue (manual adapter), oldest first. */
export async function listInbox(gw: Gateway, status?: DelegationStatus): Promise<InboxItemWire[]> {
  const r = status
    ? await gw.store.query<InboxRow>(
        'SELECT * FROM inbox_items WHERE status = $1 ORDER BY received_at, id',
        [status],
      )
    : await gw.store.query<InboxRow>('SELECT * FROM inbox_items ORDER BY received_at, id');
  return r.rows.map((row) => toItem(gw, row));
}

export async function getInboxItem(gw: Gateway, id: string): Promise<InboxItemWire> {
  const r = await gw.store.query<InboxRow>('SELECT * FROM inbox_items WHERE id = $1', [id]);
  const row = r.rows[0];
  if (!row)
    throw new TongbanError('not_found', `No delegation ${id} in the inbox of ${gw.self.id}`);
  return toItem(gw, row);
}
