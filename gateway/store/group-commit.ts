import { openBeforeCommit, runBeforeCommit } from './before-commit';
import { isCommittedAnyway, isRetryTransaction } from './commit-with';
import type { Queryable, Store, TxOptions } from './types';

/**
 * Group commit for hot, short transactions (the exchange's receive and receipt paths): units of
 * work that arrive while a transaction runs its units join it and run one after another in it
 * (beyond `maxBatch` units, or once its deferred work is being written, they wait for the next
 * one); every caller is answered after the COMMIT that made its work durable. One BEGIN/COMMIT,
 * one WAL flush and one turn of the locks they all take (the ledger head) per batch instead of
 * per unit; the last deferred write may carry the COMMIT (one round trip for both).
 *
 * - Durable: nobody hears "done" before the commit that made its work durable.
 * - Atomic per unit: if any unit of a batch throws, the whole batch is rolled back and each of
 *   its units is run again in a transaction of its own, so the failing one gets its own error
 *   and the others commit as if they had been alone. Units must therefore be safe to run twice
 *   (their database work is rolled back in between; side effects outside the database must be
 *   idempotent). No savepoints: the common path costs no extra round trips.
 * - Ordered: units of a batch run in arrival order, so the outcome is that of running them in
 *   separate transactions in that order.
 * - Idle, a unit starts at once: batches only form under load. A unit that arrives while the
 *   units of a transaction run costs no transaction of its own and waits for no other.
 * - A transaction whose optimistic last write found its premise gone (the ledger head moved) is
 *   run again once, whole (commit-with.ts); one that committed and then failed is not.
 * - Planned once: the transactions use generic plans (see HOT below).
 */
export interface GroupCommit {
  run<T>(fn: (q: Queryable) => Promise<T>): Promise<T>;
}

interface Unit {
  fn: (q: Queryable) => Promise<unknown>;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

export const DEFAULT_GROUP_MAX = 32;

/**
 * The units are the exchange's hot paths (intake, receiving, receipts): set-based statements
 * whose plans do not depend on their parameters, so each connection plans them once (generic
 * plans, TxOptions) instead of once per call.
 */
const HOT: TxOptions = { genericPlans: true };

const groups = new WeakMap<Store, GroupCommit>();

/** The group committer of a store (one per store, made on first use). */
export function groupCommit(store: Store): GroupCommit {
  let g = groups.get(store);
  if (!g) groups.set(store, (g = createGroupCommit(store)));
  return g;
}

export function createGroupCommit(store: Store, maxBatch = DEFAULT_GROUP_MAX): GroupCommit {
  const queue: Unit[] = [];
  let draining = false;

  const alone = async (u: Unit): Promise<void> => {
    try {
      u.resolve(
        await store.tx(async (q) => {
          openBeforeCommit(q);
          const out = await u.fn(q);
          await runBeforeCommit(q);
          return out;
        }, HOT),
      );
    } catch (e) {
      u.reject(e);
    }
  };

  /** Units that arrived meanwhile join `batch` (up to maxBatch); false if none could. */
  const join = (batch: Unit[]): boolean => {
    const room = maxBatch - batch.length;
    if (room <= 0 || queue.length === 0) return false;
    batch.push(...queue.splice(0, room));
    return true;
  };

  const together = async (batch: Unit[], retried = false): Promise<void> => {
    let results: unknown[];
    try {
      results = await store.tx(async (q) => {
        const out: unknown[] = [];
        openBeforeCommit(q);
        do {
          while (out.length < batch.length) out.push(await (batch[out.length] as Unit).fn(q));
        } while (join(batch));
        // What the units deferred, written once for all; the last of it may carry the COMMIT
        // (before-commit.ts, commit-with.ts), so nobody joins after this point.
        await runBeforeCommit(q, true);
        return out;
      }, HOT);
    } catch (e) {
      // Durable after all (a failure after the last statement committed): never run again.
      if (isCommittedAnyway(e)) return batch.forEach((u) => u.reject(e));
      // An optimistic write found its premise gone and failed so as not to commit without it:
      // once more, all together (that run takes the locks instead).
      if (isRetryTransaction(e) && !retried) return together(batch, true);
      // Someone failed (or the commit did): nothing of the batch is durable. Run each alone
      // (a unit that was alone has had its own transaction: its error is its answer).
      if (batch.length === 1) return (batch[0] as Unit).reject(e);
      for (const u of batch) await alone(u);
      return;
    }
    batch.forEach((u, i) => u.resolve(results[i]));
  };

  const drain = async (): Promise<void> => {
    draining = true;
    try {
      while (queue.length > 0) await together(queue.splice(0, maxBatch));
    } finally {
      draining = false;
    }
  };

  return {
    run<T>(fn: (q: Queryable) => Promise<T>): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        queue.push({ fn, resolve: resolve as (v: unknown) => void, reject });
        if (!draining) void drain();
      });
    },
  };
}
