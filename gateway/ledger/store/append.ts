import type { Queryable, Store } from '../../store';
import { afterEnd, storeOf } from '../../store/before-commit';
import { commitWithOf } from '../../store/commit-with';
import { TongbanError } from '../../errors';
import type { Attach } from './attach';
import { readFrontier } from './head';
import {
  headHolders,
  headMoved,
  lastWritten,
  lockedHeads,
  noteHeadMoved,
  plannedHead,
  takeTurn,
} from './head-state';
import { stagedIn, writeStaged } from './stage';
import {
  checkInput,
  joinPlans,
  planAppend,
  writeAppend,
  type AppendedEntry,
  type EntryInput,
  type EntryMeta,
} from './write-append';

export type { AppendedEntry, EntryInput, EntryMeta } from './write-append';
export { holdsLedgerHead, ledgerAppendRetries } from './head-state';
export { flushStaged, stageEntries } from './stage';

/**
 * Appends one entry inside the caller's transaction (pass the handle from `store.tx`), so the
 * entry commits or rolls back with the business change it records.
 */
export async function appendEntry(
  q: Queryable,
  data: Uint8Array,
  meta?: EntryMeta,
): Promise<AppendedEntry> {
  const [out] = await appendEntries(q, [{ data, ...meta }]);
  return out as AppendedEntry;
}

export interface AppendOptions {
  /**
   * This append is the transaction's last statement: where the driver can (commit-with.ts) its
   * write goes out together with the COMMIT, one round trip for both. A write planned on a head
   * that has moved then fails the transaction (instead of being planned again under the lock)
   * with an error that asks for the whole transaction to be run again (group commit does).
   */
  commit?: boolean;
  /**
   * `q` is a handle of one transaction that is never reused after it ends (as `store.tx` gives):
   * a second append through it reuses the head it already locked and wrote instead of reading
   * it again. A stale head cannot corrupt anything: the write is guarded by the size.
   */
  sameTransaction?: boolean;
}

/**
 * Appends entries in order with one write statement, optimistically: the entries, their new
 * subtree hashes and the head move are written in ONE statement that only takes effect if the
 * head is still exactly (size AND frontier) the one this process last wrote. Usually it is, and
 * the append costs one round trip, holding the head row's lock only from that statement to
 * COMMIT. This process's transactions take turns: the next appender waits (in-process, at
 * most TURN_WAIT_MS) for the previous one's COMMIT, then plans on its head — the guarded UPDATE
 * could not wait for it in PostgreSQL (its WHERE fails on the committed row version, which the
 * uncommitted head does not match yet). If the head moved (another replica appended, or our
 * last write rolled back),
 * nothing is written: the head is read under `FOR UPDATE` and the write made again, which then
 * cannot fail. Comparing the frontier and not only the size matters: after a rolled-back append
 * another writer can reach the same size with different hashes.
 *
 * Given the Store itself rather than a transaction handle, it opens its own transaction: the
 * head lock is only meaningful inside one.
 */
export async function appendEntries(
  q: Queryable | Store,
  items: readonly EntryInput[],
  opts: AppendOptions = {},
): Promise<AppendedEntry[]> {
  if (isStore(q)) return q.tx((t) => appendEntries(t, items));
  return (await appendEntriesWith(q, items, undefined, opts)).entries;
}

/**
 * appendEntries, and in the same statement the rows `attach` gives for the entries' indices
 * (./attach.ts): written only with the entries, planned again if the head had moved. Returns
 * the RETURNING rows of the attachment that has them.
 */
export async function appendEntriesWith<R = Record<string, unknown>>(
  q: Queryable,
  items: readonly EntryInput[],
  attach: Attach | undefined,
  opts: AppendOptions = {},
): Promise<{ entries: AppendedEntry[]; rows: R[] }> {
  items.forEach(checkInput);
  if (items.length === 0) return { entries: [], rows: [] };
  const pending = stagedIn(q);
  if (pending) {
    // Entries staged in this transaction go first, in the same statement (stageEntries).
    const s = await pending;
    const more = planAppend(s.plan.frontier, items);
    const n = s.plan.entries.length;
    const written = await writeStaged<R>(q, s, joinPlans(s.plan, more), opts.commit, (indices) => [
      ...s.attached,
      ...(attach?.(indices.slice(n)) ?? []),
    ]);
    return { entries: more.entries, rows: written.rows };
  }
  const owner = storeOf(q);
  let before = opts.sameTransaction ? lockedHeads.get(q) : undefined;
  let locked = before !== undefined; // this transaction already holds the head
  before ??= owner ? plannedHead(owner) : undefined;
  // This process's transactions take turns to append: a transaction's first append waits until
  // the previous appender has committed (or rolled back), then plans on the head it wrote. Else
  // it would plan on a head PostgreSQL does not yet show it: the guarded write would find
  // nothing to update and the append would cost a locked read and a second write.
  // (Not a transaction that already holds the head: the others wait for it.)
  const holds = locked || lockedHeads.has(q) || headHolders.has(q);
  let release = !holds && owner ? await takeTurn(owner) : undefined;
  try {
    if (release) before = plannedHead(owner!);
    if (!before) {
      before = await readFrontier(q, { lock: true });
      locked = true;
    }
    const commitWith = opts.commit ? commitWithOf(q) : undefined;
    for (;;) {
      const plan = planAppend(before, items);
      const written = await writeAppend<R>(q, before, plan, attach, commitWith).catch(
        headMoved(owner),
      );
      if (written) {
        lockedHeads.set(q, plan.frontier); // every append through q keeps it current
        if (owner) lastWritten.set(owner, plan.frontier);
        // the turn ends with this transaction (at once for a statement outside one)
        if (release && afterEnd(q, release)) release = undefined;
        return { entries: plan.entries, rows: written.rows };
      }
      // Under our own lock the head cannot have moved: a bug worth stopping on.
      if (locked)
        throw new TongbanError('ledger_inconsistent', 'ledger_head changed under its lock');
      if (owner) noteHeadMoved(owner);
      before = await readFrontier(q, { lock: true });
      locked = true;
    }
  } finally {
    release?.();
  }
}

function isStore(q: Queryable | Store): q is Store {
  return typeof (q as Partial<Store>).tx === 'function';
}
