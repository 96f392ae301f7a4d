import { appendMessage } from '../exchange/ledger-port';
import { newEnvelope } from '../exchange/outbound';
import { recordMessage } from '../exchange/record-message';
import type { Gateway } from '../runtime/context';
import { sha256Digest, signEnvelope, type Envelope } from '../signing';
import type { OutboxJob } from './claim';

/** Re-issue this long before the receiver's freshness window (±skew) would refuse the copy. */
export const REISSUE_MARGIN_MS = 60_000;

export function needsReissue(gw: Gateway, issuedAt: Date): boolean {
  return (
    gw.now().getTime() - new Date(issuedAt).getTime() >
    gw.settings.clockSkewSeconds * 1000 - REISSUE_MARGIN_MS
  );
}

/**
 * A message still undelivered when it would be too old for the receiver's ±5 minute freshness
 * check is signed again: same type, receiver, case and body, a new id and issue time. Both
 * copies stay in the ledger and the outbox row moves to the new one, in one transaction.
 * Receivers recognise the business identity (delegation id, callback seq, materials digests),
 * so a copy that did arrive the first time is acknowledged, never applied twice.
 */
export async function reissue(
  gw: Gateway,
  job: OutboxJob,
  bytes: Uint8Array,
): Promise<{ id: string; data: Uint8Array; issued_at: Date }> {
  const jws = JSON.parse(Buffer.from(bytes).toString('utf8')) as { payload: string };
  const old = JSON.parse(Buffer.from(jws.payload, 'base64url').toString('utf8')) as Envelope;
  const env = newEnvelope(gw, old.type, old.to, old.body, old.caseRef);
  const signed = signEnvelope(env, gw.key);
  await gw.store.tx(async (q) => {
    const idx = await appendMessage(q, signed.bytes, 'message', env.id);
    await recordMessage(q, {
      env,
      direction: 'out',
      kid: gw.key.kid,
      digest: sha256Digest(signed.bytes),
      ledgerIndex: idx,
      delegationId: job.delegation_id,
    });
    await q.query('UPDATE outbox SET message_id = $2 WHERE id = $1 AND message_id = $3', [
      job.id,
      env.id,
      job.message_id,
    ]);
  });
  gw.log.info(
    { outbox: job.id, from: job.message_id, to: env.id },
    'message re-issued before its freshness window closed',
  );
  job.message_id = env.id;
  return { id: env.id, data: signed.bytes, issued_at: new Date(env.issuedAt) };
}
