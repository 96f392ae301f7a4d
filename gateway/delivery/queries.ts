import { TongbanError } from '../errors';
import type { Gateway } from '../runtime/context';
import type { DeliveryWire } from '../cases/types';

interface OutboxRow {
  id: number;
  message_id: string;
  type: DeliveryWire['type'];
  peer: string;
  status: DeliveryWire['status'];
  attempts: number;
  last_error: string | null;
  next_attempt_at: Date | null;
  delivered_at: Date | null;
  created_at: Date;
  delegation_id: string | null;
}

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

function toWire(r: OutboxRow): DeliveryWire {
  return {
    id: String(r.id),
    messageId: r.message_id,
    type: r.type,
    peer: r.peer,
    status: r.status,
    attempts: r.attempts,
    lastError: r.last_error,
    nextAttemptAt: r.status === 'pending' ? iso(r.next_attempt_at) : null,
    deliveredAt: iso(r.delivered_at),
    createdAt: new Date(r.created_at).toISOString(),
    delegationId: r.delegation_id,
  };
}

export async function listDeliveries(
  gw: Gateway,
  status?: DeliveryWire['status'],
  limit = 200,
): Promise<DeliveryWire[]> {
  const r = status
    ? await gw.store.query<OutboxRow>(
        'SELECT * FROM outbox WHERE status = $1 ORDER BY id DESC LIMIT $2',
        [status, limit],
      )
    : await gw.store.query<OutboxRow>('SELECT * FROM outbox ORDER BY id DESC LIMIT $1', [limit]);
  return r.rows.map(toWire);
}

export async function getDelivery(gw: Gateway, id: number): Promise<DeliveryWire> {
  const r = await gw.store.query<OutboxRow>('SELECT * FROM outbox WHERE id = $1', [id]);
  if (!r.rows[0]) throw new TongbanError('not_found', `No delivery ${id}`);
  return toWire(r.rows[0]);
}
