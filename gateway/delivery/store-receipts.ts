import { appendMessagesWith } from '../exchange/ledger-port';
import { messageRows } from '../exchange/record-message';
import type { Gateway } from '../runtime/context';
import type { Queryable } from '../store';
import { beforeCommit } from '../store/before-commit';
import { groupCommit } from '../store/group-commit';
import type { OutboxJob } from './claim';
import type { DeliveryEffects, DeliveryResult } from './outcome';
import type { VerifiedReceipt } from './read-answer';

export interface ReceivedReceipt {
  job: OutboxJob;
  /** The exact bytes of the peer's signed receipt. */
  bytes: Uint8Array;
  receipt: VerifiedReceipt;
}

/**
 * Store verified receipts and settle their rows delivered, all in ONE transaction with a fixed
 * number of statements however many there are (a batch's answer): our rows settled in one
 * statement (SETTLE_SQL), receipts appended to the ledger in one append and indexed in one
 * INSERT, the effects (delegations) updated by set. A receipt is the fact of delivery: it also settles a row
 * another claimer holds, or one the sweep dead-lettered meanwhile; a row already delivered by
 * another claim is answered `superseded`. The unit is group-committed with whatever else is
 * being stored (gateway/store/group-commit.ts), so durability comes before any answer.
 */
export async function storeReceipts(
  gw: Gateway,
  items: readonly ReceivedReceipt[],
  effects: DeliveryEffects,
  started: number,
  worker: string | undefined,
): Promise<DeliveryResult[]> {
  const ms = Date.now() - started;
  const firsts = await groupCommit(gw.store).run(async (q) => {
    const cur = await q.query<{ id: string; first: boolean | null; seen: boolean }>(SETTLE_SQL, [
      items.map((i) => i.job.id),
      items.map((i) => i.job.attempts),
      items.map((i) => i.job.message_id),
      items.map((i) => i.receipt.envelope.id),
      ms,
      worker ?? null,
    ]);
    const rowOf = new Map(cur.rows.map((r) => [r.id, r]));
    const first = items.map((i) => rowOf.get(String(i.job.id))?.first ?? true);
    const seen = items.map((i) => rowOf.get(String(i.job.id))?.seen ?? false);
    const done = items.filter((_, k) => first[k]);
    // The ledger append and what it allows (case and delegation rows, which by the lock order
    // come after the ledger head) wait until just before COMMIT in a group-committed
    // transaction, so the head lock is held for as short a time as possible.
    const fresh = items.filter((_, k) => !seen[k]);
    const ledgerPart = () => appendReceipts(q, fresh, done, effects);
    if (!beforeCommit(q, Symbol('receipts'), ledgerPart)) await ledgerPart();
    return first;
  });
  gw.kickCheckpoint();
  return firsts.map((f) => ({ outcome: f ? 'delivered' : 'superseded', ms, peer: 'up' }));
}

/** Receipts not seen before into the ledger and the index, then the effects of delivery. */
async function appendReceipts(
  q: Queryable,
  fresh: readonly ReceivedReceipt[],
  done: readonly ReceivedReceipt[],
  effects: DeliveryEffects,
): Promise<void> {
  // One receipt.batch acknowledges several of them: stored once.
  const unique = [...new Map(fresh.map((i) => [i.receipt.envelope.id, i])).values()];
  const acks = done.map((i) => ({ job: i.job, ack: i.receipt.ack }));
  // Logged and indexed in one statement (the index rows attached to the append), and where the
  // effects can say so, their first statement's rows changed in it too (deliveredWith).
  const attachable = unique.length > 0 && acks.length > 0 && effects.deliveredWith !== undefined;
  const effect = attachable ? effects.deliveredWith!(acks) : undefined;
  const { rows } = await appendMessagesWith<Record<string, unknown>>(
    q,
    unique.map((i) => ({ bytes: i.bytes, kind: 'message', messageId: i.receipt.envelope.id })),
    (idx) => [
      messageRows(
        unique.map((i, k) => ({
          env: i.receipt.envelope,
          direction: 'in' as const,
          kid: i.receipt.header.kid,
          digest: i.receipt.digest,
          ledgerIndex: idx[k]!,
          delegationId: i.receipt.envelope.type === 'receipt' ? i.job.delegation_id : null,
        })),
      ),
      ...(effect ? [effect.rows] : []),
    ],
  );
  if (effect) await effect.after(q, rows);
  else if (!attachable && acks.length > 0) await effects.delivered(q, acks);
}

/**
 * Everything about our rows in ONE statement: lock them in id order (serialising with another
 * claimer of a row whose lease was taken over, and with the budget sweep), link each message
 * to its receipt, one attempt row each (`superseded` where another claim already delivered
 * it), and settle the rest delivered. Says per row whether this answer was the first, and
 * whether its receipt is already stored (a resend answered with the original receipt). That
 * look is from the statement's start: if another claimer stored the same receipt while we
 * waited for its row lock, our insert of the receipt's index row fails on the primary key, the
 * transaction rolls back whole and the unit runs again alone, then seeing it.
 */
const SETTLE_SQL = `
WITH cur AS (
  SELECT id, status <> 'delivered' AS first FROM outbox
   WHERE id = ANY($1::bigint[]) ORDER BY id FOR UPDATE
), link AS (
  UPDATE messages m SET receipt_id = u.receipt
    FROM unnest($3::text[], $4::text[]) AS u(id, receipt)
   WHERE m.id = u.id AND m.direction = 'out'
), attempt AS (
  INSERT INTO delivery_attempts (outbox_id, attempt, outcome, http_status, error, ms, worker)
  SELECT u.id, u.attempt, CASE WHEN c.first THEN 'delivered' ELSE 'superseded' END, 200,
         CASE WHEN c.first THEN NULL ELSE 'already delivered by another claim' END, $5, $6
    FROM unnest($1::bigint[], $2::int[]) AS u(id, attempt) JOIN cur c ON c.id = u.id
  ON CONFLICT (outbox_id, attempt) DO NOTHING
), settle AS (
  UPDATE outbox o SET status = 'delivered', delivered_at = now(), dead_at = NULL,
         claimed_until = NULL, claimed_by = NULL, last_error = NULL
    FROM cur WHERE o.id = cur.id AND cur.first
)
SELECT u.id::text AS id, c.first,
       EXISTS (SELECT 1 FROM messages m WHERE m.id = u.receipt AND m.direction = 'in') AS seen
  FROM unnest($1::bigint[], $4::text[]) AS u(id, receipt) LEFT JOIN cur c ON c.id = u.id`;
