import type { Queryable, Store } from '../gateway/store';
import { sameTransaction } from '../gateway/store/before-commit';

/** SQL statements by their first words, when a gateway runs with countQueries (a diagnostic). */
const statements = new Map<string, number>();

/** The store, counting every statement it runs (BEGIN … COMMIT counted once per transaction). */
export function counted(store: Store): Store {
  const key = (sql: string) => sql.replace(/\s+/g, ' ').trim().slice(0, 60);
  const bump = (k: string) => statements.set(k, (statements.get(k) ?? 0) + 1);
  const wrap = (q: Queryable): Queryable => ({
    query: (sql, params) => {
      bump(key(sql));
      return q.query(sql, params);
    },
    exec: (sql) => q.exec(sql),
  });
  const plain = wrap(store);
  return {
    driver: store.driver,
    query: plain.query,
    exec: plain.exec,
    tx: (fn, opts) => {
      bump('BEGIN … COMMIT');
      return store.tx((q) => {
        const w = wrap(q);
        sameTransaction(w, q); // after-commit hooks registered on w run with q's transaction
        return fn(w);
      }, opts);
    },
    close: () => store.close(),
  };
}

/** The counts so far, per delegation, most frequent first; the counter starts again. */
export function takeCounts(perDelegations: number): { sql: string; perDelegation: number }[] {
  const out = [...statements.entries()]
    .sort((x, y) => y[1] - x[1])
    .map(([sql, n]) => ({
      sql,
      perDelegation: Math.round((n / Math.max(1, perDelegations)) * 100) / 100,
    }));
  statements.clear();
  return out;
}
