import { beforeCommit } from '../../../gateway/store/before-commit';
import { retryTransaction } from '../../../gateway/store/commit-with';
import { createGroupCommit } from '../../../gateway/store/group-commit';
import type { Queryable, Store } from '../../../gateway/store';
import { dropSchema, freshPgStore } from '../../support/db';

/** Counts transactions the group committer opens. */
function counting(store: Store) {
  let txs = 0;
  const wrapped: Store = {
    driver: store.driver,
    query: store.query,
    exec: store.exec,
    close: () => store.close(),
    tx: (fn) => {
      txs++;
      return store.tx(fn);
    },
  };
  return { store: wrapped, txs: () => txs };
}

describe('group commit (PostgreSQL)', () => {
  let store: Store & { schema: string };

  beforeAll(async () => {
    store = await freshPgStore();
    await store.exec('CREATE TABLE gc_items (id int PRIMARY KEY, note text)');
  });
  afterAll(async () => {
    await store.close();
    await dropSchema(store.schema);
  });
  beforeEach(() => store.exec('DELETE FROM gc_items'));

  const insert = (id: number) => async (q: Queryable) => {
    await q.query('INSERT INTO gc_items (id) VALUES ($1)', [id]);
    return id;
  };
  const ids = async () =>
    (await store.query<{ id: number }>('SELECT id FROM gc_items ORDER BY id')).rows.map(
      (r) => r.id,
    );

  it('runs a unit at once when idle, and those that arrive meanwhile join its transaction', async () => {
    const c = counting(store);
    const g = createGroupCommit(c.store);
    const results = await Promise.all([1, 2, 3, 4, 5, 6].map((i) => g.run(insert(i))));
    expect(results).toEqual([1, 2, 3, 4, 5, 6]);
    expect(await ids()).toEqual([1, 2, 3, 4, 5, 6]);
    // the first starts at once; the other five arrive while it runs and commit with it
    expect(c.txs()).toBe(1);
  });

  it('lets units join while its units run, beyond maxBatch only in the next transaction', async () => {
    const c = counting(store);
    const g = createGroupCommit(c.store, 3);
    const late: Promise<number>[] = [];
    const first = g.run(async (q) => {
      await insert(60)(q);
      // arrive while the first unit runs: two join (maxBatch 3), two wait for the next one
      for (const id of [61, 62, 63, 64]) late.push(g.run(insert(id)));
      return 60;
    });
    await expect(first).resolves.toBe(60);
    expect(await Promise.all(late)).toEqual([61, 62, 63, 64]);
    expect(await ids()).toEqual([60, 61, 62, 63, 64]);
    expect(c.txs()).toBe(2);
  });

  it('lets no unit join once the deferred work is being written (it may carry the COMMIT)', async () => {
    const c = counting(store);
    const g = createGroupCommit(c.store);
    let late: Promise<number> | undefined;
    let lastFlag: boolean | undefined;
    await g.run(async (q) => {
      beforeCommit(q, 'late', async (last) => {
        lastFlag = last;
        await insert(70)(q);
        late = g.run(insert(71)); // arrives during the deferred write: next transaction
      });
      return 0;
    });
    expect(lastFlag).toBe(true);
    await expect(late).resolves.toBe(71);
    expect(await ids()).toEqual([70, 71]);
    expect(c.txs()).toBe(2);
  });

  it('runs a batch again, whole, when its transaction asks to be retried', async () => {
    const c = counting(store);
    const g = createGroupCommit(c.store);
    let runs = 0;
    const flaky = g.run(async (q) => {
      await insert(80)(q);
      if (++runs === 1) throw retryTransaction(new Error('premise gone'));
      return 80;
    });
    const other = g.run(insert(81)); // joins the first run
    await expect(flaky).resolves.toBe(80);
    await expect(other).resolves.toBe(81);
    expect(await ids()).toEqual([80, 81]);
    expect([runs, c.txs()]).toEqual([2, 2]);
  });

  it('answers only after the commit: nothing is visible to others before the promise resolves', async () => {
    const g = createGroupCommit(store);
    let seenBeforeCommit: number[] | undefined;
    await g.run(async (q) => {
      await insert(10)(q);
      seenBeforeCommit = await ids(); // another connection
      return 10;
    });
    expect(seenBeforeCommit).toEqual([]);
    expect(await ids()).toEqual([10]);
  });

  it('isolates a failing unit: it gets its own error, the others of its batch commit', async () => {
    const c = counting(store);
    const g = createGroupCommit(c.store);
    const first = g.run(insert(20)); // starts at once; the next three join it
    const ok1 = g.run(insert(21));
    const bad = g.run(async (q) => {
      await q.query('INSERT INTO gc_items (id) VALUES (21)'); // duplicate of ok1's row
      return -1;
    });
    const ok2 = g.run(insert(22));
    await expect(first).resolves.toBe(20);
    await expect(ok1).resolves.toBe(21);
    await expect(bad).rejects.toMatchObject({ code: '23505' });
    await expect(ok2).resolves.toBe(22);
    expect(await ids()).toEqual([20, 21, 22]);
    // 1 (all four: the three joined the first; rolled back) + 4 (each unit again alone)
    expect(c.txs()).toBe(5);
  });

  it('keeps arrival order within a batch', async () => {
    const g = createGroupCommit(store);
    const order: number[] = [];
    const unit = (i: number) => async (q: Queryable) => {
      order.push(i);
      await insert(30 + i)(q);
      return i;
    };
    await Promise.all([0, 1, 2, 3, 4].map((i) => g.run(unit(i))));
    expect(order).toEqual([0, 1, 2, 3, 4]);
  });

  it('rejects every unit of a batch whose commit fails, after trying each alone', async () => {
    const g = createGroupCommit(store);
    await store.exec(
      'CREATE TABLE gc_deferred (id int PRIMARY KEY, ref int REFERENCES gc_items (id) DEFERRABLE INITIALLY DEFERRED)',
    );
    // A deferred foreign key fails only at COMMIT.
    const orphan = (id: number) => async (q: Queryable) => {
      await q.query('INSERT INTO gc_deferred (id, ref) VALUES ($1, 999)', [id]);
      return id;
    };
    const all = [1, 2, 3].map((i) => g.run(orphan(i)));
    for (const p of all) await expect(p).rejects.toMatchObject({ code: '23503' });
    expect((await store.query('SELECT 1 FROM gc_deferred')).rowCount).toBe(0);
  });

  it('runs what units leave for before COMMIT once per key, inside the transaction, for the whole batch', async () => {
    const c = counting(store);
    const g = createGroupCommit(c.store);
    const pending = new Map<object, number[]>();
    let flushes = 0;
    // each unit defers its id; the first one per transaction registers the one flush
    const deferring =
      (id: number, fail = false) =>
      async (q: Queryable) => {
        let list = pending.get(q);
        if (!list) {
          const mine: number[] = [];
          const ok = beforeCommit(q, 'ids', async () => {
            pending.delete(q); // a unit that joins after this flush defers anew
            flushes++;
            await q.query('INSERT INTO gc_items (id) SELECT * FROM unnest($1::int[])', [mine]);
          });
          expect(ok).toBe(true);
          pending.set(q, (list = mine));
        }
        list.push(id);
        if (fail) throw new Error(`unit ${id} fails`);
        return id;
      };
    // no failure: 42-44 join 41's transaction; one flush writes the batch's ids
    expect(await Promise.all([41, 42, 43, 44].map((i) => g.run(deferring(i))))).toEqual([
      41, 42, 43, 44,
    ]);
    expect(await ids()).toEqual([41, 42, 43, 44]);
    expect([c.txs(), flushes]).toEqual([1, 1]);

    // a unit fails after deferring: its batch is rolled back, each unit runs alone; the
    // failing unit's deferred id goes with its rollback, the others' are written
    const runs = [51, 52, 53, 54].map((i) => g.run(deferring(i, i === 53)));
    await expect(runs[2]).rejects.toThrow('unit 53 fails');
    expect(await Promise.all([runs[0], runs[1], runs[3]])).toEqual([51, 52, 54]);
    expect(await ids()).toEqual([41, 42, 43, 44, 51, 52, 54]);
    // 51-54 together (rolled back before its flush); then 51, 52, 53, 54 alone
    expect([c.txs() - 1, flushes - 1]).toEqual([5, 3]);
  });

  it('takes no deferred work outside a group-committed transaction', async () => {
    await store.tx(async (q) => {
      expect(beforeCommit(q, 'x', async () => undefined)).toBe(false);
    });
  });
});
