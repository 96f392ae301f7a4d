import type { OutboxJob } from '../gateway/delivery/claim';
import { logAttempt } from '../gateway/delivery/log-attempt';
import type { DeliveryEffects, DeliveryResult, PeerSignal } from '../gateway/delivery/outcome';
import type { Gateway } from '../gateway/runtime/context';
import { sha256Digest, type Envelope, type ReceiptBody } from '../gateway/signing';
import { AdapterError, asAdapterError } from './errors';
import { recordAdapterAnswer } from './ledger-entry';
import type { Answered, CityAdapter, Delivered, Withdrawn } from './types';

/** Our own signed message (flattened JWS) → its envelope. */
export function envelopeOf<B = unknown>(bytes: Uint8Array): Envelope<B> {
  const jws = JSON.parse(Buffer.from(bytes).toString('utf8')) as { payload: string };
  return JSON.parse(Buffer.from(jws.payload, 'base64url').toString('utf8')) as Envelope<B>;
}

/**
 * Carry one outbox message to a city through its adapter (a city without a gateway: its
 * platform gets the mapped request instead of the signed envelope, which stays in our ledger).
 */
export function sendThroughAdapter(
  adapter: CityAdapter,
  type: string,
  bytes: Uint8Array,
): Promise<Answered<Delivered | Withdrawn>> {
  switch (type) {
    case 'delegation.create':
      return adapter.deliver({ envelope: envelopeOf(bytes), bytes });
    case 'delegation.materials':
      return adapter.supplyMaterials({ envelope: envelopeOf(bytes), bytes });
    case 'delegation.withdrawal':
      return adapter.withdraw({ envelope: envelopeOf(bytes), bytes });
    default:
      return Promise.reject(
        new AdapterError(
          'peer_refused',
          `a ${type} message cannot be carried to city ${adapter.city} by its ${adapter.kind} adapter`,
          { retryable: false },
        ),
      );
  }
}

/** How an attempt that did not deliver is settled (the delivery module's own rules). */
export interface FailedAttempt {
  want: 'retry' | 'dead';
  error: string;
  peer: PeerSignal;
  httpStatus?: number;
  retryAfterMs?: number;
}

/**
 * Deliver one claimed outbox row to a city reached through an adapter. On success, in one
 * transaction: the platform's answer goes to the ledger (kind `adapter`), the row is settled,
 * the attempt logged, and the delivery's effect applied with a receipt the adapter writes on
 * the platform's behalf (unsigned; its `ledgerIndex` names the adapter entry). Failures are
 * settled by the caller's `fail` (retry with backoff, or dead letter when the city refused).
 */
export async function deliverThroughAdapter(
  gw: Gateway,
  adapter: CityAdapter,
  job: OutboxJob,
  data: Uint8Array,
  effects: DeliveryEffects,
  o: { started: number; worker?: string; fail: (a: FailedAttempt) => Promise<DeliveryResult> },
): Promise<DeliveryResult> {
  let answer: Answered<Delivered | Withdrawn>;
  try {
    answer = await sendThroughAdapter(adapter, job.type, data);
  } catch (e) {
    const a = asAdapterError(e);
    const down = a.code === 'peer_unreachable';
    return o.fail({
      want: a.retryable ? 'retry' : 'dead',
      error: a.message,
      peer: a.retryAfterMs !== undefined ? 'throttled' : down ? 'down' : 'up',
      httpStatus: a.httpStatus,
      retryAfterMs: a.retryAfterMs,
    });
  }
  const ms = Date.now() - o.started;
  const first = await gw.store.tx(async (q) => {
    const cur = await q.query<{ status: string }>(
      'SELECT status FROM outbox WHERE id = $1 FOR UPDATE',
      [job.id],
    );
    const at = gw.now().toISOString();
    const receivedAt = 'receivedAt' in answer.value ? answer.value.receivedAt : at;
    const ledgerIndex = await recordAdapterAnswer(q, {
      at,
      evidence: answer.evidence,
      messageId: job.message_id,
      delegationId: job.delegation_id ?? undefined,
      outcome: { delivered: true, ...answer.value },
    });
    await logAttempt(q, job, 'delivered', answer.evidence.response.status, null, ms, o.worker);
    if (cur.rows[0]?.status === 'delivered') return false;
    await q.query(
      `UPDATE outbox SET status = 'delivered', delivered_at = now(), dead_at = NULL, claimed_until = NULL,
              claimed_by = NULL, last_error = NULL WHERE id = $1`,
      [job.id],
    );
    const ack: ReceiptBody = {
      messageId: job.message_id,
      messageType: job.type as ReceiptBody['messageType'],
      messageDigest: sha256Digest(data),
      ledgerIndex,
      checkpoint: null,
      receivedAt,
      result: answer.value,
    };
    await effects.delivered(q, [{ job, ack }]);
    return true;
  });
  gw.kickCheckpoint();
  return { outcome: first ? 'delivered' : 'superseded', ms, peer: 'up' };
}
