import pg from 'pg';
import { openPgStore } from '../../../gateway/store/pg-store';
import type { Store } from '../../../gateway/store';
import { TEST_DATABASE_URL, dropSchema, randomSchema } from '../../support/db';

describe('prepared statements on PostgreSQL', () => {
  const schema = randomSchema('prep');
  let store: Store;

  beforeAll(async () => {
    store = await openPgStore(TEST_DATABASE_URL, { schema, max: 1 });
    await store.exec('CREATE TABLE items (id int PRIMARY KEY, name text)');
    await store.exec("INSERT INTO items VALUES (1, 'one')");
  });
  afterAll(async () => {
    await store.close();
    await dropSchema(schema);
  });

  const prepared = async () =>
    (await store.query<{ n: string }>('SELECT count(*)::text AS n FROM pg_prepared_statements'))
      .rows[0]?.n;

  it('prepares parameterised statements once per connection and reuses them', async () => {
    for (let i = 0; i < 3; i++) {
      expect((await store.query('SELECT name FROM items WHERE id = $1', [1])).rows).toEqual([
        { name: 'one' },
      ]);
    }
    // one connection: the statement above is prepared there, once
    expect(Number(await prepared())).toBe(1);
  });

  it('plans every execution for its parameters: no generic plan kept from a young table', async () => {
    // The session setting, in every pooled connection (transactions included).
    expect(
      (await store.query<{ m: string }>('SELECT current_setting($1) AS m', ['plan_cache_mode']))
        .rows[0]?.m,
    ).toBe('force_custom_plan');
    const inTx = await store.tx((q) =>
      q.query<{ m: string }>('SELECT current_setting($1) AS m', ['plan_cache_mode']),
    );
    expect(inTx.rows[0]?.m).toBe('force_custom_plan');
    // A statement run many times while its table is tiny, then after it has grown: with a
    // cached generic plan the later run would keep the sequential scan chosen for the tiny table.
    await store.exec('CREATE TABLE grow (id text PRIMARY KEY, pad text)');
    const sql = 'SELECT count(*)::int AS n FROM grow WHERE id = ANY($1::text[])';
    for (let i = 0; i < 8; i++) await store.query(sql, [['a', 'b']]);
    await store.exec(
      "INSERT INTO grow SELECT 'k' || g, repeat('x', 200) FROM generate_series(1, 20000) g",
    );
    await store.exec('ANALYZE grow');
    const plan = await store.query<{ 'QUERY PLAN': string }>(
      `EXPLAIN (FORMAT TEXT) SELECT count(*)::int AS n FROM grow WHERE id = ANY($1::text[])`,
      [['k1', 'k2']],
    );
    expect(plan.rows.map((r) => r['QUERY PLAN']).join('\n')).toMatch(/Index (Only )?Scan/);
    expect((await store.query<{ n: number }>(sql, [['k1', 'k2', 'zz']])).rows[0]?.n).toBe(2);
  });

  it('recovers when a migration changes a table under a prepared statement', async () => {
    const sql = 'SELECT * FROM items WHERE id = $1';
    expect((await store.query(sql, [1])).rows).toEqual([{ id: 1, name: 'one' }]);
    const other = new pg.Client({
      connectionString: TEST_DATABASE_URL,
      options: `-c search_path=${schema}`,
    });
    await other.connect();
    await other.query("ALTER TABLE items ADD COLUMN city text NOT NULL DEFAULT '230100'");
    await other.end();
    let failures = 0;
    let rows: unknown[] = [];
    for (let i = 0; i < 3 && rows.length === 0; i++) {
      try {
        rows = (await store.query(sql, [1])).rows;
      } catch (e) {
        failures++;
        expect((e as { code?: string }).code).toBe('0A000'); // cached plan must not change result type
      }
    }
    expect(rows).toEqual([{ id: 1, name: 'one', city: '230100' }]);
    expect(failures).toBeLessThanOrEqual(1);
  });

  it('can be turned off', async () => {
    const plain = await openPgStore(TEST_DATABASE_URL, { schema, max: 1, prepare: false });
    try {
      await plain.query('SELECT name FROM items WHERE id = $1', [1]);
      const n = (
        await plain.query<{ n: string }>('SELECT count(*)::text AS n FROM pg_prepared_statements')
      ).rows[0]?.n;
      expect(n).toBe('0');
    } finally {
      await plain.close();
    }
  });
});
