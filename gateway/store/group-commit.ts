import { openBeforeCommit, runBeforeCommit } from './before-commit';
import type { Queryable, Store, TxOptions } from './types';

/**
 * Group commit for hot, short transactions (the exchange's receive and receipt paths): units of
 * work that arrive while a transaction is running are run together, one after another, in the
 * next one, and every caller is answered after its COMMIT. One BEGIN/COMMIT, one WAL flush and
 * one turn of the locks they all take (the ledger head) per batch instead of per unit.
 *
 * - Durable: nobody hears "done" before the commit that made its work durable.
 * - Atomic per unit: if any unit of a batch throws, the whole batch is rolled back and each of
 *   its units is run again in a transaction of its own, so the failing one gets its own error
 *   and the others commit as if they had been alone. Units must therefore be safe to run twice
 *   (their database work is rolled back in between; side effects outside the database must be
 *   idempotent). No savepoints: the common path costs no extra round trips.
 * - Ordered: units of a batch run in arrival order, so the outcome is that of running them in
 *   separate transactions in that order.
 * - Idle, a unit starts at once: batches only form under load.
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

  const together = async (batch: Unit[]): Promise<void> => {
    let results: unknown[];
    try {
      results = await store.tx(async (q) => {
        openBeforeCommit(q);
        const out: unknown[] = [];
        for (const u of batch) out.push(await u.fn(q));
        await runBeforeCommit(q); // what the units deferred, written once for all (before-commit.ts)
        return out;
      }, HOT);
    } catch {
      // Someone failed (or the commit did): nothing of the batch is durable. Run each alone.
      for (const u of batch) await alone(u);
      return;
    }
    batch.forEach((u, i) => u.resolve(results[i]));
  };

  const drain = async (): Promise<void> => {
    draining = true;
    try {
      while (queue.length > 0) {
        const batch = queue.splice(0, maxBatch);
        if (batch.length === 1) await alone(batch[0] as Unit);
        else await together(batch);
      }
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
