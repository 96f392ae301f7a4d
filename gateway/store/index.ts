import { migrate } from './migrate';
import { openPgStore } from './pg-store';
import { openPgliteStore } from './pglite-store';
import type { Store } from './types';

export type { Queryable, QueryResult, Store, TxOptions } from './types';
export { migrate } from './migrate';

export interface StoreOptions {
  /** postgres:// URL: use PostgreSQL. Otherwise the embedded store. */
  databaseUrl?: string;
  /** PostgreSQL schema for this city (several cities or tests can share one database). */
  schema?: string;
  /** Embedded store directory; in memory when absent. */
  dataDir?: string;
  /** PostgreSQL pool size (connections per process); default 10. */
  poolMax?: number;
  /** Server-side prepared statements (default true; off behind a transaction-mode pooler). */
  prepare?: boolean;
  /** PostgreSQL: look for tables due an ANALYZE this often (statistics.ts); 0 never; default 2 s. */
  analyzeEveryMs?: number;
  onAnalyzeError?: (e: unknown) => void;
}

/** Open the configured store and bring its schema up to date. */
export async function openStore(opts: StoreOptions): Promise<Store> {
  const store = opts.databaseUrl
    ? await openPgStore(opts.databaseUrl, {
        schema: opts.schema,
        max: opts.poolMax,
        prepare: opts.prepare,
        analyzeEveryMs: opts.analyzeEveryMs,
        onAnalyzeError: opts.onAnalyzeError,
      })
    : await openPgliteStore(opts.dataDir);
  try {
    await migrate(store);
  } catch (e) {
    await store.close();
    throw e;
  }
  return store;
}
