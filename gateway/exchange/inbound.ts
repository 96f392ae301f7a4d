import { TongbanError } from '../errors';
import type { Gateway } from '../runtime/context';
import { verifyEnvelope, type Envelope, type MessageType } from '../signing';
import type { Attached } from '../ledger';
import type { Queryable } from '../store';
import { groupCommit } from '../store/group-commit';
import { applyAll, type Applied, type ApplyOptions, type Verified } from './apply-inbound';
import { emitInbound, errorCode } from './observe';
import { verifyContext } from './verify-context';

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
  /**
   * Optional: the effect of messages never seen before, as rows written in the statement that
   * logs them (no statement of its own), and the outcome each would get from `many` if its
   * rows are new. Used only while receiving on that assumption (ApplyOptions.assumeFresh), and
   * only when every message of the unit has such a handler, so the order of effects is kept.
   * The rows must fail to insert (a primary key, no ON CONFLICT) where the assumption is wrong:
   * the transaction then rolls back and is run again the careful way, through `many`.
   */
  fresh?: (items: readonly { env: Envelope }[]) => {
    outcomes: HandlerOutcome[];
    rows: Attached;
  };
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

/**
 * Per message: the signed answer's exact bytes, or why it was refused. `batched`: the answer is
 * this call's `receipt.batch`, the same bytes for every message it acknowledges.
 */
export type InboundResult = { answer: Uint8Array; batched?: boolean } | { error: unknown };

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

/**
 * Receive several messages (a batch request, or one): each is verified on its own, then all
 * that verified are applied in ONE group-committed transaction with a fixed number of ledger
 * and index statements (one append for the messages, one for the answers, one index INSERT
 * each), their effects applied one after another in order. If any effect throws, nothing of
 * that transaction stays and each message is received again alone, so only the failing one is
 * refused and the others are answered as if they had come alone. Results are in input order.
 * With `batchReceipt` the messages that get a receipt share ONE signed `receipt.batch` (those
 * received again alone after a failure get their own receipts).
 */
export async function receiveMany(
  gw: Gateway,
  ms: readonly Inbound[],
  opts: ApplyOptions = {},
): Promise<InboundResult[]> {
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
    const apply = (o: ApplyOptions) => groupCommit(gw.store).run((q) => applyAll(gw, q, now, o));
    try {
      // First without looking for replays (one statement less): a message received before
      // fails this transaction at its index row's primary key, and nothing of it stays. Any
      // failure is then run again with the look, which answers replays from the ledger.
      applied = await apply({ ...opts, assumeFresh: true }).catch(() =>
        apply({ ...opts, assumeFresh: false }),
      );
    } catch (e) {
      if (now.length === 1)
        out[now[0]!.i] = refused(gw, now[0]!.m.spec, now[0]!.v.envelope.from, now[0]!.t0, e);
      else later.push(...now); // someone failed: each again alone
    }
    if (applied) {
      // (messages the handlers queued reach the delivery worker by their own after-commit hook)
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
          out[x.i] = a.batched ? { answer: a.answer, batched: true } : { answer: a.answer };
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
