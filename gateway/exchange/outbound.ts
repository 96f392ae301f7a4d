import { randomUUID } from 'node:crypto';
import type { Gateway } from '../runtime/context';
import { sha256Digest, signEnvelope, type Envelope, type MessageType } from '../signing';
import type { Queryable } from '../store';
import { appendMessage, appendMessages } from './ledger-port';
import { recordMessage, recordMessages } from './record-message';

/** Where each outgoing message type is delivered on the peer (exchange contract paths). */
export function pathFor(type: MessageType, delegationId?: string): string {
  switch (type) {
    case 'delegation.create':
      return '/exchange/v1/delegations';
    case 'delegation.materials':
      return `/exchange/v1/delegations/${encodeURIComponent(delegationId ?? '')}/materials`;
    case 'delegation.withdrawal':
      return `/exchange/v1/delegations/${encodeURIComponent(delegationId ?? '')}/withdrawal`;
    case 'callback':
      return '/exchange/v1/callbacks';
    case 'penalty.query':
      return '/exchange/v1/penalty-queries';
    default:
      throw new Error(`message type ${type} is not queued for delivery`);
  }
}

export function newEnvelope<B>(
  gw: Gateway,
  type: MessageType,
  to: string,
  body: B,
  caseRef?: string,
): Envelope<B> {
  return {
    id: randomUUID(),
    type,
    from: gw.self.id,
    to,
    contract: gw.contracts.refs.exchange,
    issuedAt: gw.now().toISOString(),
    ...(caseRef ? { caseRef } : {}),
    body,
  };
}

/**
 * Sign a message, append its exact bytes to the ledger, index it and put it in the outbox, all
 * inside the caller's transaction (the transactional outbox). The delivery worker sends it
 * after commit.
 */
export async function queueMessage(
  gw: Gateway,
  q: Queryable,
  m: { type: MessageType; to: string; body: unknown; caseRef?: string; delegationId?: string },
): Promise<Envelope> {
  const env = newEnvelope(gw, m.type, m.to, m.body, m.caseRef);
  const signed = signEnvelope(env, gw.key);
  const ledgerIndex = await appendMessage(q, signed.bytes, 'message', env.id);
  await recordMessage(q, {
    env,
    direction: 'out',
    kid: gw.key.kid,
    digest: sha256Digest(signed.bytes),
    ledgerIndex,
    delegationId: m.delegationId,
  });
  await q.query(
    `INSERT INTO outbox (message_id, peer, type, path, delegation_id) VALUES ($1, $2, $3, $4, $5)`,
    [env.id, m.to, m.type, pathFor(m.type, m.delegationId), m.delegationId ?? null],
  );
  return env;
}

export type QueuedMessage = Parameters<typeof queueMessage>[2];

/**
 * queueMessage for several messages in the caller's transaction with four statements in all,
 * whatever their number: one ledger append (one turn of the head lock), one INSERT of the
 * index rows, one of the outbox rows. Same result as calling queueMessage for each in order.
 */
export async function queueMessages(
  gw: Gateway,
  q: Queryable,
  ms: readonly QueuedMessage[],
): Promise<Envelope[]> {
  if (ms.length === 0) return [];
  const signed = ms.map((m) => {
    const env = newEnvelope(gw, m.type, m.to, m.body, m.caseRef);
    return { m, env, signed: signEnvelope(env, gw.key) };
  });
  const idx = await appendMessages(
    q,
    signed.map((s) => ({ bytes: s.signed.bytes, kind: 'message', messageId: s.env.id })),
  );
  await recordMessages(
    q,
    signed.map((s, i) => ({
      env: s.env,
      direction: 'out' as const,
      kid: gw.key.kid,
      digest: sha256Digest(s.signed.bytes),
      ledgerIndex: idx[i] as number,
      delegationId: s.m.delegationId,
    })),
  );
  await q.query(
    `INSERT INTO outbox (message_id, peer, type, path, delegation_id)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[])`,
    [
      signed.map((s) => s.env.id),
      signed.map((s) => s.m.to),
      signed.map((s) => s.m.type),
      signed.map((s) => pathFor(s.m.type, s.m.delegationId)),
      signed.map((s) => s.m.delegationId ?? null),
    ],
  );
  return signed.map((s) => s.env);
}
