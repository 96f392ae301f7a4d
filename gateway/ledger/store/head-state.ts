/**
 * What this process knows and holds of its ledger head between appends (append.ts, stage.ts):
 * the head each transaction holds, the head it last wrote per store, the turns its transactions
 * take, and how often an optimistic write found the head moved.
 */
import { TongbanError } from '../../errors';
import type { Queryable } from '../../store';
import { retryTransaction } from '../../store/commit-with';
import type { Frontier } from '../merkle/frontier';

/** Heads this process holds locked, by transaction handle (see AppendOptions). */
export const lockedHeads = new WeakMap<object, Frontier>();

/** Per store: the head as this process last wrote it (maybe not yet committed, maybe stale). */
export const lastWritten = new WeakMap<object, Frontier>();

/** Per store: optimistic writes that found the head moved and were made again. */
export const retries = new WeakMap<object, number>();

/**
 * How many of this store's appends found the head moved (another replica appended, or this
 * process's previous append rolled back) and wrote again under the lock, since start: a
 * contention signal (metric `tongban_ledger_append_retries_total`).
 */
export function ledgerAppendRetries(store: object): number {
  return retries.get(store) ?? 0;
}

/** Per store: when an optimistic write of this process last found the head moved. */
const movedAt = new WeakMap<object, number>();

/**
 * For how long after a write found the head moved this process plans its appends on the head
 * read under the lock instead of the one it last wrote: another writer (a replica) is active,
 * and a plan that cannot be made again (a staged write, one carrying the COMMIT) would fail its
 * whole transaction each time the other moved first.
 */
export const CONTENDED_MS = 1_000;

/** An optimistic write of this store found the head moved: count it, and plan locked a while. */
export function noteHeadMoved(owner: object): void {
  retries.set(owner, (retries.get(owner) ?? 0) + 1);
  movedAt.set(owner, Date.now());
}

/**
 * The head to plan on without reading it: the one this process last wrote, unless another
 * writer moved it lately (CONTENDED_MS); undefined means read it under the lock.
 */
export function plannedHead(owner: object): Frontier | undefined {
  const at = movedAt.get(owner);
  if (at !== undefined && Date.now() - at < CONTENDED_MS) return undefined;
  return lastWritten.get(owner);
}

/** Per store: the end of the last turn taken (see appendEntriesWith). */
const turns = new WeakMap<object, Promise<void>>();

/** Transaction handles that locked the head without appending (holdsLedgerHead). */
export const headHolders = new WeakSet<object>();

/**
 * Tell the appender that this transaction has locked the ledger head itself (officer actions
 * take it first, for the lock order): its appends must not wait for another append's turn,
 * since that one may be waiting for this transaction's lock.
 */
export function holdsLedgerHead(q: Queryable): void {
  headHolders.add(q);
}

/**
 * How long an append waits for the previous appender's turn before going ahead anyway (the turn
 * is an optimisation: the guarded write stays correct without it). Bounds any wait the turn
 * could add behind a lock that PostgreSQL's deadlock detector cannot see, and behind a long
 * transaction.
 */
const TURN_WAIT_MS = 100;

/** Waits for the previous appender of this store to end its turn; call the result to end ours. */
export async function takeTurn(owner: object): Promise<() => void> {
  const previous = turns.get(owner) ?? Promise.resolve();
  let release!: () => void;
  const done = new Promise<void>((r) => (release = r));
  turns.set(owner, done);
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    previous,
    new Promise<void>((r) => (timer = setTimeout(r, TURN_WAIT_MS).unref())),
  ]);
  clearTimeout(timer);
  return release;
}

/**
 * A failed guarded write that raised ledger_head_moved(): nothing was written and the
 * transaction is lost. Forget the head we planned on, so that its next run reads it under the
 * lock, and ask for that run.
 */
export function headMoved(owner: object | undefined) {
  return (e: unknown): never => {
    if ((e as { code?: string }).code !== HEAD_MOVED) throw e;
    if (owner) {
      lastWritten.delete(owner);
      noteHeadMoved(owner);
    }
    throw retryTransaction(
      new TongbanError('try_again', 'The ledger head moved; the transaction runs again'),
    );
  };
}

/** SQLSTATE of ledger_head_moved() (migration 008). */
const HEAD_MOVED = 'TB409';
