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

export interface Store extends Queryable {
  readonly driver: 'pg' | 'pglite';
  /** Run `fn` in one transaction; it commits when `fn` resolves and rolls back when it throws. */
  tx<T>(fn: (q: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
