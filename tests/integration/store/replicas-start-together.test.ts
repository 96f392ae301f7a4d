import { openStore, type Store } from '../../../gateway/store';
import { loadMigrations } from '../../../gateway/store/migrate';
import { TEST_DATABASE_URL, dropSchema, randomSchema } from '../../support/db';

/**
 * Several replicas of one city start at once on a schema nobody has created yet (the chaos test's
 * two Harbin replicas, a deployment's first roll-out). Each must open the store; the schema and
 * its migrations must be made once. CREATE SCHEMA IF NOT EXISTS alone lost this race about one
 * time in three with four openers (pg_namespace's unique index).
 */
describe('replicas opening one new schema together', () => {
  const schemas: string[] = [];
  afterAll(async () => {
    for (const s of schemas) await dropSchema(s);
  });

  it('all open, and each migration is recorded once', async () => {
    for (let round = 0; round < 5; round++) {
      const schema = randomSchema('together');
      schemas.push(schema);
      const opened = await Promise.allSettled(
        Array.from({ length: 4 }, () =>
          openStore({ databaseUrl: TEST_DATABASE_URL, schema, analyzeEveryMs: 0 }),
        ),
      );
      const stores = opened.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
      try {
        const errors = opened.flatMap((r) =>
          r.status === 'rejected' ? [String((r.reason as Error).message)] : [],
        );
        expect(errors).toEqual([]);
        const rows = await (stores[0] as Store).query<{ version: number; n: number }>(
          'SELECT version, count(*)::int AS n FROM schema_migrations GROUP BY version ORDER BY version',
        );
        expect(rows.rows.map((r) => r.version)).toEqual(loadMigrations().map((m) => m.version));
        expect(rows.rows.every((r) => r.n === 1)).toBe(true);
      } finally {
        await Promise.all(stores.map((s) => s.close()));
      }
    }
  });
});
