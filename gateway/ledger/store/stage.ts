/**
 * Staged entries: their places in the ledger fixed now, written later in one statement with
 * everything else the transaction stages (docs/ledger.md, *Staged entries*).
 */
import type { Queryable } from '../../store';
import { afterEnd, storeOf, takesAfterCommit } from '../../store/before-commit';
import { commitWithOf } from '../../store/commit-with';
import { TongbanError } from '../../errors';
import type { Frontier } from '../merkle/frontier';
import type { Attach, Attached } from './attach';
import { readFrontier } from './head';
import {
  headHolders,
  headMoved,
  lastWritten,
  lockedHeads,
  plannedHead,
  takeTurn,
} from './head-state';
import {
  checkInput,
  joinPlans,
  planAppend,
  writeAppend,
  type AppendedEntry,
  type EntryInput,
  type Plan,
} from './write-append';

/** Entries a transaction has staged (stageEntries): their places are fixed, not yet written. */
export interface Staged {
  /** The head the first of them was planned on. */
  before: Frontier;
  plan: Plan;
  attached: Attached[];
}

/** Per transaction handle: what it has staged. */
const staging = new WeakMap<object, Promise<Staged>>();

/** What `q` has staged and not yet written, if anything. */
export function stagedIn(q: Queryable): Promise<Staged> | undefined {
  return staging.get(q);
}

/**
 * Give entries their places in the ledger now and write them later, inside the same
 * transaction: with the next append through `q`, or by `flushStaged`, whichever comes first,
 * in ONE statement with everything else staged in it (from several units of a group-committed
 * transaction too). For a writer that must know the indices before it can say what else to
 * write (a receipt names the index of each message it acknowledges) and still wants one round
 * trip. `attach` gives rows to write with these entries (attach.ts). Planned on a head that
 * then moved, the write fails the whole transaction and asks for it to be run again
 * (retryTransaction): entries planned on it may already be signed for.
 *
 * `q` must be a transaction handle that is never reused after it ends (as `store.tx` gives).
 */
export async function stageEntries(
  q: Queryable,
  items: readonly EntryInput[],
  attach?: Attach,
): Promise<AppendedEntry[]> {
  items.forEach(checkInput);
  let pending = staging.get(q);
  if (!pending) {
    pending = openStage(q);
    staging.set(q, pending);
    pending.catch(() => staging.delete(q));
  }
  const s = await pending;
  if (items.length === 0) return [];
  const more = planAppend(s.plan.frontier, items);
  s.plan = joinPlans(s.plan, more);
  if (attach) s.attached.push(...attach(more.entries.map((e) => e.index)));
  return more.entries;
}

/** Write what `q` has staged (nothing if nothing is); `commit`: see AppendOptions.commit. */
export async function flushStaged(q: Queryable, opts: { commit?: boolean } = {}): Promise<void> {
  const pending = staging.get(q);
  if (!pending) return;
  const s = await pending;
  if (s.plan.entries.length === 0) return void staging.delete(q);
  await writeStaged(q, s, s.plan, opts.commit, () => s.attached);
}

/** The head a transaction's first staged entry is planned on; takes this process's turn. */
async function openStage(q: Queryable): Promise<Staged> {
  if (!takesAfterCommit(q))
    throw new TypeError('stageEntries needs a transaction handle (store.tx)');
  const owner = storeOf(q);
  const start = (before: Frontier): Staged => ({
    before,
    plan: planAppend(before, []),
    attached: [],
  });
  const held = lockedHeads.get(q); // this transaction has appended: it holds the head
  if (held) return start(held);
  if (owner && !headHolders.has(q)) {
    const release = await takeTurn(owner);
    afterEnd(q, release); // (a transaction handle: the turn ends with it)
  }
  const before = owner ? plannedHead(owner) : undefined;
  return start(before ?? (await readFrontier(q, { lock: true })));
}

/** The staged entries (and any appended with them) in one statement that cannot be re-planned. */
export async function writeStaged<R>(
  q: Queryable,
  s: Staged,
  plan: Plan,
  commit: boolean | undefined,
  attach: Attach,
): Promise<{ rows: R[] }> {
  const owner = storeOf(q);
  staging.delete(q);
  const commitWith = commit ? commitWithOf(q) : undefined;
  const written = await writeAppend<R>(q, s.before, plan, attach, commitWith, true).catch(
    headMoved(owner),
  );
  // Strict: a moved head raises, so nothing written here is a bug worth stopping on.
  if (!written) throw new TongbanError('ledger_inconsistent', 'staged ledger entries not written');
  lockedHeads.set(q, plan.frontier);
  if (owner) lastWritten.set(owner, plan.frontier);
  return written;
}
