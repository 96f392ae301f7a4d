/**
 * One SQL dialect (PostgreSQL), two drivers. Everything outside gateway/store talks to this
 * interface only. Conventions both drivers honour:
 *  - int8/bigint columns come back as JS numbers (safe up to 2^53; ledger sizes stay far below);
 *  - bytea columns come back as Uint8Array (a Buffer with pg, a plain Uint8Array with PGlite);
 *  - jsonb comes back parsed; timestamptz as Date.
 */
export interface QueryResult<R> {
  rows: R[];
  rowCount: number;
}

export interface Queryable {
  query<R = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<QueryResult<R>>;
  /** Run a script of several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

export interface TxOptions {
  /**
   * PostgreSQL: plan this transaction's statements once per connection (generic plans) instead
   * of for each call's parameters. For the exchange's hot, set-based statements (group commit),
   * whose best plan does not depend on the values: planning was a third of PostgreSQL's time
   * there. The plans stay good because the store keeps its tables' statistics current
   * (statistics.ts). Ignored by the embedded store.
   */
  genericPlans?: boolean;
}

export interface Store extends Queryable {
  readonly driver: 'pg' | 'pglite';
  /** Run `fn` in one transaction; it commits when `fn` resolves and rolls back when it throws. */
  tx<T>(fn: (q: Queryable) => Promise<T>, opts?: TxOptions): Promise<T>;
  close(): Promise<void>;
}
