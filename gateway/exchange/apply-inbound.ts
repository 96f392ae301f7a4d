import { TongbanError } from '../errors';
import type { Gateway } from '../runtime/context';
import {
  buildBatchReceipt,
  buildReceipt,
  sha256Digest,
  signEnvelope,
  type Envelope,
} from '../signing';
import type { Attached } from '../ledger';
import type { Queryable } from '../store';
import type { HandlerOutcome, Inbound, verifyInbound } from './inbound';
import { recentCheckpoint, stageMessages } from './ledger-port';
import { newEnvelope } from './outbound';
import { messageRows } from './record-message';

/** A message that passed verification, with its place in the call. */
export interface Verified {
  i: number;
  m: Inbound;
  v: Awaited<ReturnType<typeof verifyInbound>>;
  t0: number;
}

export interface Applied {
  answer: Uint8Array;
  replayed: boolean;
  /** The answer is this call's `receipt.batch`, shared with the other messages it lists. */
  batched?: boolean;
}

export interface ApplyOptions {
  /** Acknowledge the messages that get a receipt with ONE `receipt.batch` (contract 1.2.0). */
  batchReceipt?: boolean;
  /**
   * Take every message as new without looking for it first. A message received before then
   * makes the transaction fail when its index row is written (primary key): the caller must
   * apply again without this to answer it from the ledger.
   */
  assumeFresh?: boolean;
}

/** Inside the transaction: replays answered from the ledger, the rest appended and applied. */
export async function applyAll(
  gw: Gateway,
  q: Queryable,
  xs: readonly Verified[],
  opts: ApplyOptions = {},
): Promise<(Applied | { error: unknown })[]> {
  const res: (Applied | { error: unknown })[] = new Array<Applied | { error: unknown }>(xs.length);
  const prior = opts.assumeFresh ? new Map<string, never>() : await priorAnswers(q, xs);
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
        error: new TongbanError(
          'try_again',
          `Message ${x.v.envelope.id} is still being processed; send it again later`,
        ),
      };
    else res[k] = { answer: p.answer, replayed: true };
  });
  if (fresh.length === 0) return res;
  const fx = fresh.map((k) => xs[k]!);
  // Taken as new and every effect known without a look (InboundHandler.fresh): the effects'
  // rows go with the append that logs the messages, one statement for both.
  const known = opts.assumeFresh ? freshEffects(fx) : undefined;
  // Their places in the ledger are fixed now (the answers name them); the messages are written
  // with the answers, in one statement (stageMessages).
  const idx = await stageMessages(
    q,
    fx.map((x) => ({ bytes: x.m.bytes, kind: 'message', messageId: x.v.envelope.id })),
    known && (() => known.rows),
  );
  const outcomes = known?.outcomes ?? (await runHandlers(q, fx, idx));
  const answers = await signAnswers(gw, q, fx, idx, outcomes, opts);
  const answerOf: { id: string; bytes: Uint8Array; batched: boolean }[] = [];
  for (const a of answers) {
    const batched = a.env.type === 'receipt.batch';
    for (const j of a.of) answerOf[j] = { id: a.env.id, bytes: a.bytes, batched };
  }
  // The answers logged, and the messages and their answers indexed, in the same statement as
  // the messages (index rows attached to the append), each message with the id of its answer
  // (no UPDATE later). The primary key makes a copy of a message racing us fail there (after
  // its handler ran: the transaction rolls back whole) and come back as a replay. In a
  // group-committed transaction this is written just before COMMIT, and carries it when it is
  // the last write there.
  await logAnswers(gw, q, fx, idx, answers, answerOf);
  fresh.forEach(
    (k, j) =>
      (res[k] = { answer: answerOf[j]!.bytes, replayed: false, batched: answerOf[j]!.batched }),
  );
  return res;
}

/** The signed answers staged, and the messages and their answers indexed with them. */
async function logAnswers(
  gw: Gateway,
  q: Queryable,
  fx: readonly Verified[],
  idx: readonly number[],
  answers: Awaited<ReturnType<typeof signAnswers>>,
  answerOf: readonly { id: string }[],
): Promise<void> {
  await stageMessages(
    q,
    answers.map((a) => ({ bytes: a.bytes, kind: 'message', messageId: a.env.id })),
    (answerIdx) => [
      messageRows([
        ...fx.map((x, j) => ({
          env: x.v.envelope,
          direction: 'in' as const,
          kid: x.v.header.kid,
          digest: x.v.digest,
          ledgerIndex: idx[j]!,
          receiptId: answerOf[j]!.id,
        })),
        ...answers.map((a, n) => ({
          env: a.env,
          direction: 'out' as const,
          kid: gw.key.kid,
          digest: sha256Digest(a.bytes),
          ledgerIndex: answerIdx[n]!,
          delegationId:
            a.env.type === 'receipt.batch'
              ? null
              : ((fx[a.of[0]!]!.v.envelope.body as { delegationId?: string }).delegationId ?? null),
        })),
      ]),
    ],
  );
}

/**
 * Sign the answers: a handler's own response (queries, status views) or a receipt for each
 * message; with `batchReceipt` every message that gets a receipt is acknowledged by ONE
 * `receipt.batch` instead (one signature, one ledger entry, one index row). `of` lists the
 * messages (indices into `fx`) each signed answer answers.
 */
async function signAnswers(
  gw: Gateway,
  q: Queryable,
  fx: readonly Verified[],
  idx: readonly number[],
  outcomes: readonly HandlerOutcome[],
  opts: ApplyOptions,
): Promise<{ env: Envelope; bytes: Uint8Array; of: number[] }[]> {
  const out: { env: Envelope; bytes: Uint8Array; of: number[] }[] = [];
  const sign = (env: Envelope, of: number[]) =>
    out.push({ env, bytes: signEnvelope(env, gw.key).bytes, of });
  let checkpoint: string | null | undefined;
  const cp = async () => (checkpoint ??= await recentCheckpoint(gw.store, q));
  const receivedAt = gw.now().toISOString();
  const inBatch: number[] = [];
  for (const [j, x] of fx.entries()) {
    const env = x.v.envelope;
    const outcome = outcomes[j]!;
    if (outcome.response) {
      const r = outcome.response;
      sign(newEnvelope(gw, r.type, env.from, r.body, env.caseRef), [j]);
    } else if (opts.batchReceipt) inBatch.push(j);
    else
      sign(
        buildReceipt({
          message: env,
          messageDigest: x.v.digest,
          ledgerIndex: idx[j]!,
          checkpoint: await cp(),
          receivedAt,
          issuedAt: gw.now(),
          result: outcome.result,
          self: gw.self.id,
          contract: gw.contracts.refs.exchange,
        }) as Envelope,
        [j],
      );
  }
  if (inBatch.length > 0)
    sign(
      buildBatchReceipt({
        entries: inBatch.map((j) => ({
          message: fx[j]!.v.envelope,
          messageDigest: fx[j]!.v.digest,
          ledgerIndex: idx[j]!,
          result: outcomes[j]!.result,
        })),
        checkpoint: await cp(),
        receivedAt,
        issuedAt: gw.now(),
        self: gw.self.id,
        contract: gw.contracts.refs.exchange,
      }) as Envelope,
      inBatch,
    );
  return out;
}

/**
 * The effects of messages taken as new when every one has a `fresh` handler (runs of one
 * handler together, in order), else undefined: then they run one by one as usual.
 */
function freshEffects(
  xs: readonly Verified[],
): { outcomes: HandlerOutcome[]; rows: Attached[] } | undefined {
  if (!xs.every((x) => x.m.handler.fresh)) return undefined;
  const outcomes: HandlerOutcome[] = [];
  const rows: Attached[] = [];
  for (let j = 0; j < xs.length;) {
    const h = xs[j]!.m.handler;
    let end = j + 1;
    while (end < xs.length && xs[end]!.m.handler === h) end++;
    const r = h.fresh!(xs.slice(j, end).map((x) => ({ env: x.v.envelope })));
    outcomes.push(...r.outcomes);
    rows.push(r.rows);
    j = end;
  }
  return { outcomes, rows };
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
