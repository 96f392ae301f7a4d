import { migrate, openStore, type Store } from '../../../gateway/store';
import { loadMigrations } from '../../../gateway/store/migrate';
import { dropSchema, freshPgStore } from '../../support/db';

/** The same behaviour from both drivers: PostgreSQL through pg, and embedded PGlite. */
describe.each([
  ['PostgreSQL (pg)', async () => freshPgStore()],
  [
    'PGlite (embedded)',
    async () => Object.assign(await openStore({}), { schema: undefined as string | undefined }),
  ],
])('store on %s', (_name, open) => {
  let store: Store & { schema?: string };
  beforeAll(async () => {
    store = await open();
  });
  afterAll(async () => {
    await store.close();
    if (store.schema) await dropSchema(store.schema);
  });

  it('applied every migration once, and re-running is a no-op', async () => {
    const versions = (
      await store.query<{ version: number }>(
        'SELECT version FROM schema_migrations ORDER BY version',
      )
    ).rows.map((r) => r.version);
    expect(versions).toEqual(loadMigrations().map((m) => m.version));
    expect(await migrate(store)).toEqual([]);
  });

  it('stores large ledger entries out of line without compression, and reads them back whole', async () => {
    const a = await store.query<{ s: string }>(
      `SELECT attstorage AS s FROM pg_attribute WHERE attrelid = 'ledger_entries'::regclass AND attname = 'data'`,
    );
    expect(a.rows[0]!.s).toBe('e'); // EXTERNAL (migration 007)
    const big = Buffer.alloc(20_000, 'receipt.batch ');
    await store
      .tx(async (q) => {
        await q.query(
          `INSERT INTO ledger_entries (idx, data, leaf_hash, kind) VALUES (1000000, $1, $2, 'test')`,
          [big, Buffer.alloc(32)],
        );
        const r = await q.query<{ data: Uint8Array; stored: number }>(
          `SELECT data, pg_column_size(data) AS stored FROM ledger_entries WHERE idx = 1000000`,
        );
        expect(Buffer.from(r.rows[0]!.data).equals(big)).toBe(true);
        expect(r.rows[0]!.stored).toBeGreaterThanOrEqual(big.length); // not compressed
        throw new Error('leave the ledger as it was');
      })
      .catch((e: Error) => expect(e.message).toBe('leave the ledger as it was'));
  });

  it('returns int8 as numbers, bytea as bytes and jsonb parsed', async () => {
    const r = await store.query<{ a: number; b: Uint8Array; j: { x: number } }>(
      `SELECT 9007199254740991::int8 AS a, '\\x0102'::bytea AS b, '{"x":1}'::jsonb AS j`,
    );
    expect(r.rows[0]!.a).toBe(Number.MAX_SAFE_INTEGER);
    expect([...r.rows[0]!.b]).toEqual([1, 2]);
    expect(r.rows[0]!.j).toEqual({ x: 1 });
  });

  it('counts rows of a SELECT and of an UPDATE the same way', async () => {
    await store.query(`INSERT INTO gateway_meta (key, value) VALUES ('rc1', '1'), ('rc2', '2')`);
    expect((await store.query(`SELECT key FROM gateway_meta WHERE key LIKE 'rc%'`)).rowCount).toBe(
      2,
    );
    expect(
      (await store.query(`UPDATE gateway_meta SET value = '3' WHERE key LIKE 'rc%'`)).rowCount,
    ).toBe(2);
    expect((await store.query(`DELETE FROM gateway_meta WHERE key LIKE 'rc%'`)).rowCount).toBe(2);
  });

  it('commits a transaction that resolves and rolls back one that throws', async () => {
    await store.tx((q) => q.query(`INSERT INTO gateway_meta (key, value) VALUES ('a', '1')`));
    await expect(
      store.tx(async (q) => {
        await q.query(`INSERT INTO gateway_meta (key, value) VALUES ('b', '2')`);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    const keys = (
      await store.query<{ key: string }>('SELECT key FROM gateway_meta ORDER BY key')
    ).rows.map((r) => r.key);
    expect(keys).toEqual(['a']);
  });

  it("runs a transaction's first statement inside it (BEGIN is sent with it, not before)", async () => {
    const txid = (q: { query: Store['query'] }) =>
      q.query<{ x: string }>('SELECT txid_current()::text AS x').then((r) => r.rows[0]!.x);
    const [a, b] = await store.tx(async (q) => [await txid(q), await txid(q)]);
    expect(a).toBe(b);
    expect(await txid(store)).not.toBe(a);
  });

  it('runs statements issued together in order, and a failure among them rolls back all', async () => {
    await store.tx((q) =>
      Promise.all([
        q.query(`INSERT INTO gateway_meta (key, value) VALUES ('p1', '1')`),
        q.query(`UPDATE gateway_meta SET value = '2' WHERE key = 'p1'`),
      ]),
    );
    await expect(
      store.tx((q) =>
        Promise.all([
          q.query(`INSERT INTO gateway_meta (key, value) VALUES ('p2', '1')`),
          q.query(`INSERT INTO gateway_meta (key, value) VALUES ('p1', '3')`),
          q.query(`INSERT INTO gateway_meta (key, value) VALUES ('p3', '1')`),
        ]),
      ),
    ).rejects.toThrow(/duplicate key/);
    const rows = await store.query<{ key: string; value: number }>(
      "SELECT key, value FROM gateway_meta WHERE key LIKE 'p_' ORDER BY key",
    );
    expect(rows.rows).toEqual([{ key: 'p1', value: 2 }]);
  });

  it('rolls back when the first statement fails, and the connections stay usable', async () => {
    for (let i = 0; i < 12; i++)
      await expect(
        store.tx((q) => q.query('SELECT 1 / (0 * $1::int) AS boom', [i])),
      ).rejects.toThrow(/division by zero/);
    const r = await store.tx(async (q) => (await q.query<{ n: number }>('SELECT 7 AS n')).rows);
    expect(r).toEqual([{ n: 7 }]);
  });

  it('answers a transaction that ran no statement without touching the database', async () => {
    await expect(store.tx(async () => 'nothing')).resolves.toBe('nothing');
    await expect(
      store.tx(async () => {
        throw new Error('before any statement');
      }),
    ).rejects.toThrow('before any statement');
  });

  it('serialises concurrent migrators with the advisory lock', async () => {
    const results = await Promise.all([migrate(store), migrate(store), migrate(store)]);
    expect(results.flat()).toEqual([]);
  });
});

describe('PostgreSQL schemas isolate cities on one database', () => {
  it('keeps two schemas apart', async () => {
    const a = await freshPgStore();
    const b = await freshPgStore();
    try {
      await a.query(`INSERT INTO gateway_meta (key, value) VALUES ('only-in-a', '1')`);
      expect((await b.query('SELECT * FROM gateway_meta')).rowCount).toBe(0);
      expect((await a.query('SELECT * FROM gateway_meta')).rowCount).toBe(1);
    } finally {
      await a.close();
      await b.close();
      await dropSchema(a.schema);
      await dropSchema(b.schema);
    }
  });
});
