import type { Store } from '../gateway/store';
import { observedStore } from '../gateway/store/observed';

/** SQL statements by their first words, when a gateway runs with countQueries (a diagnostic). */
const statements = new Map<string, number>();

/** The store, counting every statement it runs (BEGIN … COMMIT counted once per transaction). */
export function counted(store: Store): Store {
  const key = (sql: string) => sql.replace(/\s+/g, ' ').trim().slice(0, 60);
  const bump = (k: string) => statements.set(k, (statements.get(k) ?? 0) + 1);
  return observedStore(store, (e) =>
    bump(e.kind === 'transaction' ? 'BEGIN … COMMIT' : key(e.sql)),
  );
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
