import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Store } from './types';

const MIGRATIONS_DIR = join(__dirname, 'migrations');
/** Arbitrary constant key for pg_advisory_xact_lock: one migrator at a time per database. */
const MIGRATION_LOCK_KEY = 7_230_100;

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export function loadMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d{3}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((f) => ({
      version: Number(f.slice(0, 3)),
      name: f,
      sql: readFileSync(join(dir, f), 'utf8'),
    }));
}

/**
 * Forward-only numbered migrations, applied at start inside one transaction under an advisory
 * lock, so several replicas starting together on one PostgreSQL apply each migration once.
 */
export async function migrate(store: Store, migrations = loadMigrations()): Promise<number[]> {
  return store.tx(async (q) => {
    await q.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    await q.query(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version int PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())',
    );
    const done = new Set(
      (await q.query<{ version: number }>('SELECT version FROM schema_migrations')).rows.map(
        (r) => r.version,
      ),
    );
    const applied: number[] = [];
    for (const m of migrations) {
      if (done.has(m.version)) continue;
      await q.exec(m.sql);
      await q.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [
        m.version,
        m.name,
      ]);
      applied.push(m.version);
    }
    return applied;
  });
}
