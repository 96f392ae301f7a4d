import { dropAfterCommit, openAfterCommit, runAfterCommit } from './before-commit';
import { PGlite } from '@electric-sql/pglite';
import { lockDataDir, type DirLock } from './dir-lock';
import type { Queryable, QueryResult, Store } from './types';

/**
 * Embedded PostgreSQL (PGlite, WASM): the zero-setup default. File-backed in `dataDir`, or in
 * memory when `dataDir` is undefined. One connection, so transactions are serialised by PGlite.
 */
export async function openPgliteStore(dataDir?: string): Promise<Store> {
  let lock: DirLock | undefined;
  let db: PGlite;
  // One process per folder (dir-lock.ts); the lock also makes a fresh folder (e.g. `serve
  // --data-dir` on a new volume).
  if (dataDir) lock = lockDataDir(dataDir);
  try {
    db = dataDir ? new PGlite(dataDir) : new PGlite();
    await db.waitReady;
  } catch (e) {
    lock?.release();
    throw e;
  }
  const wrap = (c: Pick<PGlite, 'query' | 'exec'>): Queryable => ({
    async query<R>(sql: string, params?: unknown[]): Promise<QueryResult<R>> {
      const r = await c.query<R>(sql, params as unknown[]);
      // PGlite reports affectedRows 0 for a SELECT; count rows as pg does.
      return { rows: r.rows, rowCount: Math.max(r.rows.length, r.affectedRows ?? 0) };
    },
    async exec(sql: string): Promise<void> {
      await c.exec(sql);
    },
  });
  const self = wrap(db);
  // PGlite runs one transaction at a time on its single connection; queue ours so that a
  // plain query issued while a transaction is open waits instead of joining it.
  let chain: Promise<unknown> = Promise.resolve();
  const store: Store = {
    driver: 'pglite',
    query: self.query,
    exec: self.exec,
    // TxOptions.genericPlans is for PostgreSQL's plan cache; PGlite plans every statement.
    tx<T>(fn: (q: Queryable) => Promise<T>): Promise<T> {
      let q: Queryable | undefined;
      const run = chain
        .then(() =>
          db.transaction((t) => {
            q = wrap(t);
            openAfterCommit(q, store); // the Store itself: what storeOf(q) names
            return fn(q);
          }),
        )
        .then(
          (out) => {
            if (q) runAfterCommit(q);
            return out;
          },
          (e: unknown) => {
            if (q) dropAfterCommit(q);
            throw e;
          },
        );
      chain = run.catch(() => undefined);
      return run;
    },
    async close() {
      await chain.catch(() => undefined);
      try {
        await db.close();
      } finally {
        lock?.release();
      }
    },
  };
  return store;
}
