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
import { appendMessages, recentCheckpoint } from './ledger-port';
import { newEnvelope } from './outbound';
import { emitInbound, errorCode } from './observe';
import { verifyContext } from './verify-context';
import { recordMessages } from './record-message';

export interface HandlerOutcome {
  /** Goes into the receipt's `result`. */
  result?: unknown;
  /** Answer with this signed envelope instead of a receipt (queries and status views). */
  response?: { type: MessageType; body: unknown };
}

export type InboundHandler = ((
  q: Queryable,
  env: Envelope,
  ledgerIndex: number,
) => Promise<HandlerOutcome>) & {
  /**
   * Optional: the same effect for several messages of this type at once, with the same outcome
   * as calling the handler for each in order (a batch's messages; fewer statements).
   */
  many?: (
    q: Queryable,
    items: readonly { env: Envelope; ledgerIndex: number }[],
  ) => Promise<HandlerOutcome[]>;
};

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

/** One message to receive: its exact bytes, the endpoint it came to and that endpoint's effect. */
export interface Inbound {
  bytes: Uint8Array;
  spec: InboundSpec;
  handler: InboundHandler;
}

/** Per message: the signed answer's exact bytes, or why it was refused. */
export type InboundResult = { answer: Uint8Array } | { error: unknown };

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
  const r = await receiveAlone(gw, { bytes, spec, handler });
  if ('error' in r) throw r.error;
  return r.answer;
}

interface Verified {
  i: number;
  m: Inbound;
  v: Awaited<ReturnType<typeof verifyInbound>>;
  t0: number;
}

/**
 * Receive several messages (a batch request, or one): each is verified on its own, then all
 * that verified are applied in ONE group-committed transaction with a fixed number of ledger
 * and index statements (one append for the messages, one for the answers, one index INSERT
 * each), their effects applied one after another in order. If any effect throws, nothing of
 * that transaction stays and each message is received again alone, so only the failing one is
 * refused and the others are answered as if they had come alone. Results are in input order.
 */
export async function receiveMany(gw: Gateway, ms: readonly Inbound[]): Promise<InboundResult[]> {
  const out: InboundResult[] = new Array<InboundResult>(ms.length);
  const ok: Verified[] = [];
  await Promise.all(
    ms.map(async (m, i) => {
      const t0 = performance.now();
      try {
        ok.push({ i, m, v: await verifyInbound(gw, m.bytes, m.spec), t0 });
      } catch (e) {
        out[i] = refused(gw, m.spec, undefined, t0, e);
      }
    }),
  );
  ok.sort((a, b) => a.i - b.i);
  // Two messages with one id in one call: the later ones wait and are answered as replays.
  const ids = new Set<string>();
  const now: Verified[] = [];
  const later: Verified[] = [];
  for (const x of ok) {
    if (ids.has(x.v.envelope.id)) {
      later.push(x);
      continue;
    }
    ids.add(x.v.envelope.id);
    now.push(x);
  }
  if (now.length > 0) {
    let applied: (Applied | { error: unknown })[] | undefined;
    try {
      applied = await groupCommit(gw.store).run((q) => applyAll(gw, q, now));
    } catch (e) {
      if (now.length === 1)
        out[now[0]!.i] = refused(gw, now[0]!.m.spec, now[0]!.v.envelope.from, now[0]!.t0, e);
      else later.push(...now); // someone failed: each again alone
    }
    if (applied) {
      gw.kickDelivery();
      gw.kickCheckpoint();
      applied.forEach((a, k) => {
        const x = now[k]!;
        if ('error' in a) out[x.i] = refused(gw, x.m.spec, x.v.envelope.from, x.t0, a.error);
        else {
          emitInbound(gw, {
            peer: x.v.envelope.from,
            type: x.m.spec.expectedType,
            outcome: a.replayed ? 'replayed' : 'accepted',
            ms: performance.now() - x.t0,
          });
          out[x.i] = { answer: a.answer };
        }
      });
    }
  }
  for (const x of later.sort((a, b) => a.i - b.i)) out[x.i] = await receiveAlone(gw, x.m);
  return out;
}

/** One message on its own; two copies of it racing: the loser is answered as a replay. */
async function receiveAlone(gw: Gateway, m: Inbound): Promise<InboundResult> {
  for (let attempt = 0; ; attempt++) {
    const [r] = await receiveMany(gw, [m]);
    const code = 'error' in r! ? (r.error as { code?: string }).code : undefined;
    if (code !== UNIQUE_VIOLATION || attempt >= 2) return r!;
  }
}

function refused(
  gw: Gateway,
  spec: InboundSpec,
  peer: string | undefined,
  t0: number,
  e: unknown,
): { error: unknown } {
  emitInbound(
    gw,
    {
      peer,
      type: spec.expectedType,
      outcome: 'refused',
      code: errorCode(e),
      ms: performance.now() - t0,
    },
    e,
  );
  return { error: e };
}

interface Applied {
  answer: Uint8Array;
  replayed: boolean;
}

/** Inside the transaction: replays answered from the ledger, the rest appended and applied. */
async function applyAll(
  gw: Gateway,
  q: Queryable,
  xs: readonly Verified[],
): Promise<(Applied | { error: unknown })[]> {
  const res: (Applied | { error: unknown })[] = new Array<Applied | { error: unknown }>(xs.length);
  const prior = await priorAnswers(q, xs);
  const fresh: number[] = [];
  xs.forEach((x, k) => {
    const p = prior.get(x.v.envelope.id);
    if (!p) return void fresh.push(k);
    if (p.digest !== x.v.digest)
      res[k] = {
        error: new TongbanError(
          'message_id_reused',
          `Message id ${x.v.envelope.id} was already used for a different message`,
        ),
      };
    else if (!p.answer)
      res[k] = {
        error: new TongbanError('conflict', `Message ${x.v.envelope.id} is still being processed`),
      };
    else res[k] = { answer: p.answer, replayed: true };
  });
  if (fresh.length === 0) return res;
  const fx = fresh.map((k) => xs[k]!);
  const answerIds = fx.map(() => randomUUID());
  const idx = await appendMessages(
    q,
    fx.map((x) => ({ bytes: x.m.bytes, kind: 'message', messageId: x.v.envelope.id })),
  );
  // Indexed at once with the id its answer will have (no UPDATE later); the primary key
  // makes a copy of a message racing us fail here and come back as a replay.
  await recordMessages(
    q,
    fx.map((x, j) => ({
      env: x.v.envelope,
      direction: 'in' as const,
      kid: x.v.header.kid,
      digest: x.v.digest,
      ledgerIndex: idx[j]!,
      receiptId: answerIds[j]!,
    })),
  );
  const signed: { env: Envelope; bytes: Uint8Array }[] = [];
  let checkpoint: string | null | undefined;
  const outcomes = await runHandlers(q, fx, idx);
  for (const [j, x] of fx.entries()) {
    const env = x.v.envelope;
    const outcome = outcomes[j]!;
    const answer = outcome.response
      ? {
          ...newEnvelope(gw, outcome.response.type, env.from, outcome.response.body, env.caseRef),
          id: answerIds[j]!,
        }
      : (buildReceipt({
          id: answerIds[j]!,
          message: env,
          messageDigest: x.v.digest,
          ledgerIndex: idx[j]!,
          checkpoint: (checkpoint ??= await recentCheckpoint(gw.store, q)),
          receivedAt: gw.now().toISOString(),
          issuedAt: gw.now(),
          result: outcome.result,
          self: gw.self.id,
          contract: gw.contracts.refs.exchange,
        }) as Envelope);
    signed.push({ env: answer, bytes: signEnvelope(answer, gw.key).bytes });
  }
  const answerIdx = await appendMessages(
    q,
    signed.map((a) => ({ bytes: a.bytes, kind: 'message', messageId: a.env.id })),
  );
  await recordMessages(
    q,
    signed.map((a, j) => ({
      env: a.env,
      direction: 'out' as const,
      kid: gw.key.kid,
      digest: sha256Digest(a.bytes),
      ledgerIndex: answerIdx[j]!,
      delegationId: (fx[j]!.v.envelope.body as { delegationId?: string }).delegationId ?? null,
    })),
  );
  fresh.forEach((k, j) => (res[k] = { answer: signed[j]!.bytes, replayed: false }));
  return res;
}

/** Each message's effect, in order; runs of one handler that can take several at once do. */
async function runHandlers(
  q: Queryable,
  xs: readonly Verified[],
  idx: readonly number[],
): Promise<HandlerOutcome[]> {
  const out: HandlerOutcome[] = [];
  for (let j = 0; j < xs.length;) {
    const h = xs[j]!.m.handler;
    let end = j + 1;
    while (h.many && end < xs.length && xs[end]!.m.handler === h) end++;
    if (h.many && end - j > 1) {
      const run = xs.slice(j, end).map((x, k) => ({ env: x.v.envelope, ledgerIndex: idx[j + k]! }));
      out.push(...(await h.many(q, run)));
    } else out.push(await h(q, xs[j]!.v.envelope, idx[j]!));
    j = end;
  }
  return out;
}

/** What we already hold for these message ids: the digest seen and our original answer. */
async function priorAnswers(
  q: Queryable,
  xs: readonly Verified[],
): Promise<Map<string, { digest: string; answer?: Uint8Array }>> {
  const r = await q.query<{ id: string; digest: string; answer: Uint8Array | null }>(
    `SELECT m.id, m.digest, e.data AS answer FROM messages m
       LEFT JOIN messages a ON a.id = m.receipt_id AND a.direction = 'out'
       LEFT JOIN ledger_entries e ON e.idx = a.ledger_index
      WHERE m.id = ANY($1::text[]) AND m.direction = 'in'`,
    [xs.map((x) => x.v.envelope.id)],
  );
  return new Map(
    r.rows.map((row) => [row.id, { digest: row.digest, answer: row.answer ?? undefined }]),
  );
}
