import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openStore, type Store } from '../../gateway/store';
import { observedStore } from '../../gateway/store/observed';

/** The real PostgreSQL the tests use (CI starts it); override with TONGBAN_TEST_DATABASE_URL. */
export const TEST_DATABASE_URL =
  process.env.TONGBAN_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export function randomSchema(prefix = 't'): string {
  return `${prefix}_${randomBytes(6).toString('hex')}`;
}

/** A fresh, migrated schema on the real PostgreSQL: tests are isolated by tenant, never by truncation. */
export async function freshPgStore(schema = randomSchema()): Promise<Store & { schema: string }> {
  const store = await openStore({ databaseUrl: TEST_DATABASE_URL, schema });
  return Object.assign(store, { schema });
}

/** freshPgStore, reporting the text of every statement it runs to `onStatement` (observedStore). */
export async function observedPgStore(
  onStatement: (sql: string) => void,
): Promise<Store & { schema: string }> {
  const store = await freshPgStore();
  const observed = observedStore(store, (e) => {
    if (e.kind === 'statement') onStatement(e.sql);
  });
  return Object.assign(observed, { schema: store.schema });
}

export async function dropSchema(schema: string): Promise<void> {
  const c = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await c.connect();
  try {
    await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await c.end();
  }
}
