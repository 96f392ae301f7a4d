import { randomUUID } from 'node:crypto';
import { TongbanError } from '../errors';
import type { Gateway } from '../runtime/context';
import {
  buildReceipt,
  sha256Digest,
  signEnvelope,
  verifyEnvelope,
  type Envelope,
  type MessageType,
} from '../signing';
import type { Queryable } from '../store';
import { groupCommit } from '../store/group-commit';
import { appendMessage, recentCheckpoint } from './ledger-port';
import { newEnvelope } from './outbound';
import { emitInbound, errorCode } from './observe';
import { verifyContext } from './verify-context';
import { messageBytes, recordMessage } from './record-message';

export interface HandlerOutcome {
  /** Goes into the receipt's `result`. */
  result?: unknown;
  /** Answer with this signed envelope instead of a receipt (queries and status views). */
  response?: { type: MessageType; body: unknown };
}

export type InboundHandler = (
  q: Queryable,
  env: Envelope,
  ledgerIndex: number,
) => Promise<HandlerOutcome>;

export interface InboundSpec {
  expectedType: MessageType;
  /** Schema name in the exchange contract for the envelope body. */
  bodySchema: string;
  /** When the URL names a delegation, the body must name the same one. */
  pathDelegationId?: string;
}

const UNIQUE_VIOLATION = '23505';

/** Verify a signed message against its exact bytes; refusals throw and change nothing. */
export async function verifyInbound(gw: Gateway, bytes: Uint8Array, spec: InboundSpec) {
  const verified = await verifyEnvelope(bytes, verifyContext(gw, spec.expectedType));
  const v = gw.contracts.schemaValidator('exchange', spec.bodySchema);
  gw.contracts.assertValid(v, verified.envelope.body, '/body', `${spec.expectedType} body`);
  const named = (verified.envelope.body as { delegationId?: string }).delegationId;
  if (spec.pathDelegationId !== undefined && named !== spec.pathDelegationId) {
    throw new TongbanError(
      'validation_failed',
      `body.delegationId ${String(named)} does not match the URL`,
      {
        pointer: '/body/delegationId',
      },
    );
  }
  return verified;
}

/**
 * The receiving half of the exchange: verify, then in ONE transaction append the message to the
 * ledger, apply its effect, sign the answer and append that too; the answer leaves only after
 * commit. A message id seen before is answered with the original answer (idempotent); a
 * different message reusing an id is refused.
 */
export async function receiveSigned(
  gw: Gateway,
  bytes: Uint8Array,
  spec: InboundSpec,
  handler: InboundHandler,
): Promise<Uint8Array> {
  const t0 = performance.now();
  const seen: { peer?: string; replayed?: boolean } = {};
  const ms = () => performance.now() - t0;
  try {
    const out = await receive(gw, bytes, spec, handler, seen);
    emitInbound(gw, {
      peer: seen.peer,
      type: spec.expectedType,
      outcome: seen.replayed ? 'replayed' : 'accepted',
      ms: ms(),
    });
    return out;
  } catch (e) {
    emitInbound(
      gw,
      {
        peer: seen.peer,
        type: spec.expectedType,
        outcome: 'refused',
        code: errorCode(e),
        ms: ms(),
      },
      e,
    );
    throw e;
  }
}

async function receive(
  gw: Gateway,
  bytes: Uint8Array,
  spec: InboundSpec,
  handler: InboundHandler,
  seen: { peer?: string; replayed?: boolean },
): Promise<Uint8Array> {
  const verified = await verifyInbound(gw, bytes, spec);
  const env = verified.envelope;
  seen.peer = env.from;
  for (let attempt = 0; ; attempt++) {
    try {
      // Group commit: messages arriving together share one transaction and one turn of the
      // ledger head lock (gateway/store/group-commit.ts); each is answered after the commit.
      const out = await groupCommit(gw.store).run(async (q) => {
        const replay = await answerReplay(q, env, verified.digest);
        seen.replayed = replay !== undefined;
        if (replay) return replay;
        const answerId = randomUUID();
        const ledgerIndex = await appendMessage(q, bytes, 'message', env.id);
        // Indexed at once with the id its answer will have (no UPDATE later); the primary key
        // makes a copy of this message racing us fail here and come back as a replay.
        await recordMessage(q, {
          env,
          direction: 'in',
          kid: verified.header.kid,
          digest: verified.digest,
          ledgerIndex,
          receiptId: answerId,
        });
        const outcome = await handler(q, env, ledgerIndex);
        const answer = outcome.response
          ? {
              ...newEnvelope(
                gw,
                outcome.response.type,
                env.from,
                outcome.response.body,
                env.caseRef,
              ),
              id: answerId,
            }
          : (buildReceipt({
              id: answerId,
              message: env,
              messageDigest: verified.digest,
              ledgerIndex,
              checkpoint: await recentCheckpoint(gw.store, q),
              receivedAt: gw.now().toISOString(),
              issuedAt: gw.now(),
              result: outcome.result,
              self: gw.self.id,
              contract: gw.contracts.refs.exchange,
            }) as Envelope);
        const signed = signEnvelope(answer, gw.key);
        const answerIndex = await appendMessage(q, signed.bytes, 'message', answer.id);
        await recordMessage(q, {
          env: answer,
          direction: 'out',
          kid: gw.key.kid,
          digest: sha256Digest(signed.bytes),
          ledgerIndex: answerIndex,
          delegationId: (env.body as { delegationId?: string }).delegationId ?? null,
        });
        return signed.bytes;
      });
      gw.kickDelivery();
      gw.kickCheckpoint();
      return out;
    } catch (e) {
      // Two copies of one message raced: the loser retries and is answered as a replay.
      if ((e as { code?: string }).code === UNIQUE_VIOLATION && attempt < 2) continue;
      throw e;
    }
  }
}

async function answerReplay(
  q: Queryable,
  env: Envelope,
  digest: string,
): Promise<Uint8Array | undefined> {
  const seen = await q.query<{ digest: string; receipt_id: string | null }>(
    `SELECT digest, receipt_id FROM messages WHERE id = $1 AND direction = 'in'`,
    [env.id],
  );
  const row = seen.rows[0];
  if (!row) return undefined;
  if (row.digest !== digest) {
    throw new TongbanError(
      'message_id_reused',
      `Message id ${env.id} was already used for a different message`,
    );
  }
  const answer = row.receipt_id ? await messageBytes(q, row.receipt_id, 'out') : undefined;
  if (!answer) throw new TongbanError('conflict', `Message ${env.id} is still being processed`);
  return answer;
}
