import { sameTransaction } from './before-commit';
import { commitWithOf, offerCommitWith } from './commit-with';
import type { Queryable, Store } from './types';

/** What an observed store reports: one statement, or a transaction's start. */
export type StoreEvent = { kind: 'statement'; sql: string } | { kind: 'transaction' };

/**
 * The store, reporting every statement it runs and every transaction it opens to `on` before
 * running it: a diagnostic (the bench's `--count-queries`; tests of how many statements a path
 * costs). Transactions behave exactly as the wrapped store's: after-commit hooks run, and a
 * last statement that carries the COMMIT (commit-with.ts) still does, and is reported too.
 */
export function observedStore(store: Store, on: (e: StoreEvent) => void): Store {
  const wrap = (q: Queryable): Queryable => ({
    query: (sql, params) => {
      on({ kind: 'statement', sql });
      return q.query(sql, params);
    },
    exec: (sql) => {
      on({ kind: 'statement', sql });
      return q.exec(sql);
    },
  });
  const plain = wrap(store);
  return {
    driver: store.driver,
    query: plain.query,
    exec: plain.exec,
    tx: (fn, opts) => {
      on({ kind: 'transaction' });
      return store.tx((q) => {
        const w = wrap(q);
        sameTransaction(w, q); // after-commit hooks registered on w run with q's transaction
        const carry = commitWithOf(q);
        if (carry)
          offerCommitWith(w, (sql, params) => {
            on({ kind: 'statement', sql });
            return carry(sql, params);
          });
        return fn(w);
      }, opts);
    },
    close: () => store.close(),
  };
}
