import { adapterFor } from '../../adapters';
import { deliverThroughAdapter } from '../../adapters/outbox';
import type { Gateway } from '../runtime/context';
import type { Queryable } from '../store';
import { backoffMs } from './backoff';
import type { OutboxJob } from './claim';
import { logAttempt } from './log-attempt';
import type { Attempt, DeliveryEffects, DeliveryResult, OutgoingMessage } from './outcome';
import { needsReissue, reissue } from './reissue';
import { readAnswer, type VerifiedReceipt } from './read-answer';
import { storeReceipts } from './store-receipts';
import { postEnvelope, type SendError, type SendResult } from './send';

export interface DeliverOptions {
  /** Aborts the send (graceful shutdown after its grace period). */
  signal?: AbortSignal;
  /** Recorded with the attempt. */
  worker?: string;
  /**
   * The peer refused a batch request: called before its messages go back to the queue, so the
   * worker stops batching to that peer before they can be claimed again.
   */
  onBatchRefused?: () => void;
  /**
   * The peer has answered the request (or it failed): what remains is ours (verifying, storing
   * the receipt, settling).
   */
  onAnswered?: () => void;
}

async function outgoing(q: Queryable, messageId: string): Promise<OutgoingMessage | undefined> {
  const r = await q.query<OutgoingMessage>(
    `SELECT e.data, m.issued_at FROM messages m JOIN ledger_entries e ON e.idx = m.ledger_index
      WHERE m.id = $1 AND m.direction = 'out'`,
    [messageId],
  );
  return r.rows[0];
}

/**
 * Send one claimed outbox message (its exact ledger bytes) and settle it: delivered (the
 * peer's signed receipt acknowledges exactly those bytes and is kept in our ledger), retry
 * later, or dead letter. Every outcome is one transaction; a crash anywhere before it leaves
 * the row to be claimed again after its lease, and the peer answers a resend with its original
 * receipt.
 */
export async function deliverOne(
  gw: Gateway,
  job: OutboxJob,
  effects: DeliveryEffects,
  opts: DeliverOptions = {},
): Promise<DeliveryResult> {
  const started = Date.now();
  const finish = (a: Attempt) => settle(gw, job, effects, a, started, opts.worker);
  let msg = job.message ?? (await outgoing(gw.store, job.message_id));
  if (msg && needsReissue(gw, msg.issued_at)) msg = await reissue(gw, job, msg.data);
  if (!msg)
    return finish({
      want: 'dead',
      error: `message ${job.message_id} missing from the ledger`,
      peer: 'none',
    });
  // A city without a gateway (rest): its adapter carries the message to the city's platform.
  const adapter =
    gw.cities.get(job.peer)?.adapter.kind === 'rest' ? adapterFor(gw, job.peer) : undefined;
  if (adapter)
    return deliverThroughAdapter(gw, adapter, job, msg.data, effects, {
      started,
      worker: opts.worker,
      fail: finish,
    });
  const base = gw.cities.gatewayUrl(job.peer);
  if (!base)
    return finish({ want: 'dead', error: `city ${job.peer} has no gateway URL`, peer: 'none' });
  const d = gw.settings.delivery;

  let res: SendResult;
  try {
    res = await postEnvelope(base + job.path, msg.data, {
      timeoutMs: d.timeoutMs,
      maxBytes: gw.settings.bodyLimitBytes,
      signal: opts.signal,
    });
  } catch (e) {
    opts.onAnswered?.();
    return finish(sendFailure(e as SendError));
  }
  opts.onAnswered?.();
  return settleAnswer(gw, job, msg, res, effects, started, opts.worker);
}

/** A send that got no answer: retried; an interrupted one at once. */
export function sendFailure(err: SendError): Attempt {
  if (err.kind === 'aborted')
    return { want: 'retry', error: err.message, peer: 'none', immediate: true };
  return { want: 'retry', error: err.message, peer: err.kind === 'too_large' ? 'up' : 'down' };
}

/**
 * Settle one message from the peer's answer to it (alone, or as one item of a batch): a signed
 * receipt that acknowledges exactly the bytes sent is stored and the row delivered; a problem
 * is retried, paused on (429/503 with Retry-After) or dead-lettered (a refusal).
 */
export async function settleAnswer(
  gw: Gateway,
  job: OutboxJob,
  msg: OutgoingMessage,
  res: SendResult,
  effects: DeliveryEffects,
  started: number,
  worker: string | undefined,
): Promise<DeliveryResult> {
  const v = await readAnswer(gw, job, msg, res);
  if ('attempt' in v) return settle(gw, job, effects, v.attempt, started, worker);
  return storeReceipt(gw, job, res.body, v.receipt, effects, started, worker);
}

/** Store one verified receipt and settle its row delivered. */
export async function storeReceipt(
  gw: Gateway,
  job: OutboxJob,
  bytes: Uint8Array,
  receipt: VerifiedReceipt,
  effects: DeliveryEffects,
  started: number,
  worker: string | undefined,
): Promise<DeliveryResult> {
  const [r] = await storeReceipts(gw, [{ job, bytes, receipt }], effects, started, worker);
  return r!;
}

/**
 * Settle a failed attempt in one statement, fenced by the claim (`attempts` as it was claimed):
 * retry with backoff (never later than the end of the retry budget), or dead letter when the
 * peer refused the message or the budget is spent.
 */
export async function settle(
  gw: Gateway,
  job: OutboxJob,
  effects: DeliveryEffects,
  a: Attempt,
  started: number,
  worker: string | undefined,
): Promise<DeliveryResult> {
  const d = gw.settings.delivery;
  const ms = Date.now() - started;
  const delay = a.immediate
    ? 0
    : Math.max(a.retryAfterMs ?? 0, backoffMs(job.attempts, d.baseDelayMs, d.maxDelayMs));
  const outcome = await gw.store.tx(async (q) => {
    const r = await q.query<{ status: 'pending' | 'dead'; expired: boolean; last_error: string }>(
      `WITH x AS (
         SELECT id, ($2 = 'dead' OR created_at + ($3::float8 * interval '1 millisecond') <= now()) AS dead,
                created_at + ($3::float8 * interval '1 millisecond') <= now() AS expired
           FROM outbox WHERE id = $1 AND status = 'in_flight' AND attempts = $4 FOR UPDATE)
       UPDATE outbox o SET
              status = CASE WHEN x.dead THEN 'dead' ELSE 'pending' END,
              dead_at = CASE WHEN x.dead THEN now() ELSE NULL END,
              next_attempt_at = CASE WHEN x.dead THEN o.next_attempt_at
                ELSE LEAST(now() + ($5::float8 * interval '1 millisecond'),
                           o.created_at + ($3::float8 * interval '1 millisecond')) END,
              claimed_until = NULL, claimed_by = NULL,
              last_error = CASE WHEN x.expired AND $2 = 'retry' THEN 'retry budget spent; last error: ' || $6 ELSE $6 END
         FROM x WHERE o.id = x.id
       RETURNING o.status, x.expired, o.last_error`,
      [job.id, a.want, d.budgetMs, job.attempts, delay, a.error],
    );
    const row = r.rows[0];
    const outcome = row ? (row.status === 'dead' ? 'dead' : 'retry') : 'superseded';
    await logAttempt(q, job, outcome, a.httpStatus ?? null, a.error, ms, worker);
    if (row?.status === 'dead') await effects.dead(q, job, row.last_error);
    return outcome;
  });
  return { outcome, error: a.error, ms, peer: a.peer, retryAfterMs: a.retryAfterMs };
}
