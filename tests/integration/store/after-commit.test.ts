import { openStore, type Store } from '../../../gateway/store';
import { afterCommit, afterEnd, takesAfterCommit } from '../../../gateway/store/before-commit';
import { createGroupCommit } from '../../../gateway/store/group-commit';
import { dropSchema, freshPgStore } from '../../support/db';

/**
 * After-commit hooks (gateway/store/before-commit.ts): what must happen only once a
 * transaction's work is durable, e.g. handing queued messages to the delivery worker. Same
 * behaviour from both drivers and through group commit.
 */
describe.each([
  ['PostgreSQL (pg)', async () => freshPgStore()],
  [
    'PGlite (embedded)',
    async () => Object.assign(await openStore({}), { schema: undefined as string | undefined }),
  ],
])('after-commit hooks on %s', (_name, open) => {
  let store: Store & { schema?: string };
  beforeAll(async () => {
    store = await open();
    await store.exec('CREATE TABLE ac (id int PRIMARY KEY)');
  });
  afterAll(async () => {
    await store.close();
    if (store.schema) await dropSchema(store.schema);
  });

  it('run after COMMIT, when the rows are visible to others, and not before', async () => {
    const seen: number[] = [];
    let ranInside = false;
    await store.tx(async (q) => {
      await q.query('INSERT INTO ac VALUES (1)');
      expect(takesAfterCommit(q)).toBe(true);
      expect(
        afterCommit(q, () => {
          seen.push(1);
        }),
      ).toBe(true);
      ranInside = seen.length > 0;
    });
    expect(ranInside).toBe(false);
    expect(seen).toEqual([1]);
    // a hook can rely on the commit: another connection sees the row
    expect(
      (await store.query<{ n: number }>('SELECT count(*)::int AS n FROM ac WHERE id = 1')).rows[0]
        ?.n,
    ).toBe(1);
  });

  it('after-end hooks run once the transaction ends, committed or rolled back, never inside it', async () => {
    const seen: string[] = [];
    await store.tx(async (q) => {
      expect(afterEnd(q, () => seen.push('committed'))).toBe(true);
      await q.query('SELECT 1');
      expect(seen).toEqual([]);
    });
    await expect(
      store.tx(async (q) => {
        afterEnd(q, () => seen.push('rolled back'));
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(seen).toEqual(['committed', 'rolled back']);
    // outside a transaction there is no end to wait for
    expect(afterEnd(store, () => seen.push('never'))).toBe(false);
  });

  it('never run when the transaction rolls back', async () => {
    const seen: string[] = [];
    await expect(
      store.tx(async (q) => {
        await q.query('INSERT INTO ac VALUES (2)');
        afterCommit(q, () => seen.push('rolled back'));
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(seen).toEqual([]);
  });

  it('are not offered outside a transaction (the caller must not count on them)', () => {
    expect(takesAfterCommit(store)).toBe(false);
    expect(afterCommit(store, () => undefined)).toBe(false);
  });

  it('a hook that throws does not undo the commit or stop the others', async () => {
    const seen: string[] = [];
    await store.tx(async (q) => {
      await q.query('INSERT INTO ac VALUES (3)');
      afterCommit(q, () => {
        throw new Error('hook failed');
      });
      afterCommit(q, () => seen.push('second'));
    });
    expect(seen).toEqual(['second']);
    expect(
      (await store.query<{ n: number }>('SELECT count(*)::int AS n FROM ac WHERE id = 3')).rows[0]
        ?.n,
    ).toBe(1);
  });

  it('through group commit: a failed batch runs no hook; each unit run again alone runs its own once', async () => {
    const g = createGroupCommit(store);
    const seen: string[] = [];
    const unit = (id: number, fail = false) =>
      g.run(async (q) => {
        await q.query('INSERT INTO ac VALUES ($1)', [id]);
        afterCommit(q, () => seen.push(`unit ${id}`));
        if (fail) throw new Error(`unit ${id} failed`);
        return id;
      });
    const results = await Promise.allSettled([unit(10), unit(11, true), unit(12)]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(seen.sort()).toEqual(['unit 10', 'unit 12']);
  });
});
