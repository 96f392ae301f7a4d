import { commitWithOf } from '../../../gateway/store/commit-with';
import { openPgliteStore } from '../../../gateway/store/pglite-store';
import type { Queryable, Store } from '../../../gateway/store';
import { dropSchema, freshPgStore } from '../../support/db';

/**
 * A transaction's last statement sent with its COMMIT (gateway/store/commit-with.ts), on real
 * PostgreSQL: it commits, or rolls back everything before it, and nothing may follow it.
 */
describe('the last statement carrying the COMMIT (PostgreSQL)', () => {
  let store: Store & { schema: string };
  beforeAll(async () => {
    store = await freshPgStore();
    await store.exec('CREATE TABLE cw (id int PRIMARY KEY)');
  });
  afterAll(async () => {
    await store.close();
    await dropSchema(store.schema);
  });
  beforeEach(() => store.exec('DELETE FROM cw'));
  const ids = async () =>
    (await store.query<{ id: number }>('SELECT id FROM cw ORDER BY id')).rows.map((r) => r.id);

  it('commits the transaction with its last statement and runs the after-commit work', async () => {
    const r = await store.tx(async (q) => {
      await q.query('INSERT INTO cw (id) VALUES ($1)', [1]);
      const last = commitWithOf(q)!;
      return (await last<{ id: number }>('INSERT INTO cw (id) VALUES ($1) RETURNING id', [2])).rows;
    });
    expect(r).toEqual([{ id: 2 }]);
    expect(await ids()).toEqual([1, 2]);
  });

  it('rolls back what came before when the last statement fails, with its error', async () => {
    await expect(
      store.tx(async (q) => {
        await q.query('INSERT INTO cw (id) VALUES ($1)', [3]);
        await commitWithOf(q)!('INSERT INTO cw (id) VALUES ($1)', [3]); // duplicate key
      }),
    ).rejects.toMatchObject({ code: '23505' });
    expect(await ids()).toEqual([]);
  });

  it.each([
    ['a statement', (q: Queryable) => q.query('INSERT INTO cw (id) VALUES ($1)', [5])],
    [
      'a second last statement',
      (q: Queryable) => commitWithOf(q)!('INSERT INTO cw (id) VALUES ($1)', [5]),
    ],
  ])(
    'refuses %s after it, unsent; the work it committed is reported as committed',
    async (_what, after) => {
      const err = await store
        .tx(async (q) => {
          await commitWithOf(q)!('INSERT INTO cw (id) VALUES ($1)', [4]);
          await after(q);
        })
        .then(
          () => undefined,
          (e: unknown) => e as Error & { committed?: boolean },
        );
      expect(err?.message).toMatch(/after the transaction was committed/);
      expect(err?.committed).toBe(true);
      expect(await ids()).toEqual([4]);
    },
  );

  it('keeps the connection usable after each of these', async () => {
    for (let i = 0; i < 12; i++)
      await store
        .tx(async (q) => {
          await commitWithOf(q)!('SELECT 1 / (0 * $1::int)', [i]);
        })
        .catch(() => undefined);
    expect(await store.tx(async (q) => (await q.query('SELECT 1 AS n')).rows)).toEqual([{ n: 1 }]);
  });
});

describe('the embedded store', () => {
  it('offers no COMMIT with a statement: its transactions commit as usual', async () => {
    const s = await openPgliteStore();
    try {
      expect(await s.tx(async (q) => commitWithOf(q))).toBeUndefined();
    } finally {
      await s.close();
    }
  });
});
