/**
 * The two ledger operations the exchange needs, in one place: append the exact bytes of a
 * message inside the caller's transaction, and read the latest signed checkpoint.
 */
import {
  appendEntries,
  appendEntriesWith,
  flushStaged,
  latestCheckpoint,
  stageEntries,
  type Attach,
} from '../ledger';
import type { Queryable } from '../store';
import { beforeCommit } from '../store/before-commit';

export async function appendMessage(
  q: Queryable,
  bytes: Uint8Array,
  kind: string,
  messageId: string,
): Promise<number> {
  // Handles come from store.tx (one per transaction): a second append in the same transaction
  // (receipt after message, or a group commit's batch) reuses the locked head.
  const [e] = await appendEntries(q, [{ data: bytes, kind, messageId }], { sameTransaction: true });
  return Number((e as { index: number }).index);
}

/**
 * Several messages in one append (one turn of the head lock, one write), and in the same
 * statement what `attach` gives for their indexes (their index rows, outbox rows): one round
 * trip. Returns the indexes, in order, and the attachment's RETURNING rows. `commit`: the
 * transaction's last statement, which may carry its COMMIT (AppendOptions.commit).
 */
export async function appendMessagesWith<R>(
  q: Queryable,
  items: readonly { bytes: Uint8Array; kind: string; messageId: string }[],
  attach?: Attach,
  opts: { commit?: boolean } = {},
): Promise<{ idx: number[]; rows: R[] }> {
  const { entries, rows } = await appendEntriesWith<R>(
    q,
    items.map((i) => ({ data: i.bytes, kind: i.kind, messageId: i.messageId })),
    attach,
    { sameTransaction: true, commit: opts.commit },
  );
  return { idx: entries.map((e) => Number(e.index)), rows };
}

/**
 * Messages given their ledger indexes now and written later in this transaction, in one
 * statement with everything else staged in it and `attach`'s rows (stageEntries): just before
 * COMMIT where the transaction takes deferred work, carrying the COMMIT when that write is the
 * last, else at once. Returns the indexes, in order.
 */
export async function stageMessages(
  q: Queryable,
  items: readonly { bytes: Uint8Array; kind: string; messageId: string }[],
  attach?: Attach,
): Promise<number[]> {
  const entries = await stageEntries(
    q,
    items.map((i) => ({ data: i.bytes, kind: i.kind, messageId: i.messageId })),
    attach,
  );
  if (!beforeCommit(q, flushStaged, (last) => flushStaged(q, { commit: last })))
    await flushStaged(q);
  return entries.map((e) => Number(e.index));
}

export async function currentCheckpoint(q: Queryable): Promise<string | null> {
  const c = await latestCheckpoint(q);
  return c?.note ?? null;
}

const recent = new WeakMap<object, { note: string; at: number }>();

/**
 * The latest checkpoint, read at most every `maxAgeMs` per store (receipts carry it on the hot
 * path; one a quarter of a second old serves the peer's witness just as well). This process's
 * own publications replace it at once (`rememberCheckpoint`); "none yet" is never kept, so the
 * first checkpoint reaches the next receipt.
 */
export async function recentCheckpoint(
  store: object,
  q: Queryable,
  maxAgeMs = 250,
): Promise<string | null> {
  const hit = recent.get(store);
  if (hit && Date.now() - hit.at < maxAgeMs) return hit.note;
  const note = await currentCheckpoint(q);
  if (note !== null) recent.set(store, { note, at: Date.now() });
  return note;
}

/** The checkpointer of this process has just published `note` for `store`. */
export function rememberCheckpoint(store: object, note: string): void {
  recent.set(store, { note, at: Date.now() });
}
