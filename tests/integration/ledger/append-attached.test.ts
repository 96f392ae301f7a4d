import {
  appendEntries,
  appendEntriesWith,
  HEAD_WRITTEN,
  type Attached,
} from '../../../gateway/ledger';
import { attachedCtes } from '../../../gateway/ledger/store/attach';
import type { Queryable, Store } from '../../../gateway/store';
import { bytes, drivers } from './helpers/db';

/**
 * Rows attached to a ledger append (gateway/ledger/store/attach.ts) are written in the same
 * statement, only if the append is, with the indices the entries really got — also when the
 * optimistic write found the head moved and was planned again.
 */
describe('attaching rows to a ledger append', () => {
  const all = drivers();
  afterAll(() => Promise.all(all.map((d) => d.close())));

  const setup = async (s: Store) =>
    s.query('CREATE TABLE tagged (entry_idx bigint PRIMARY KEY, tag text NOT NULL)');
  /** Each tag's row, as an attachment: the index its entry gets, returned. */
  const tagged = (tags: string[], returning = true) => {
    const calls: (readonly number[])[] = [];
    const attach = (idx: readonly number[]): Attached[] => {
      calls.push(idx);
      return [
        {
          insert: 'INSERT INTO tagged (entry_idx, tag)',
          select: 'SELECT * FROM unnest($1::int8[], $2::text[])',
          params: [idx, tags],
          returning: returning ? 'entry_idx::int AS idx, tag' : undefined,
        },
      ];
    };
    return { attach, calls };
  };
  const appendTagged = (
    q: Queryable,
    tags: string[],
    attach: ReturnType<typeof tagged>['attach'],
  ) =>
    appendEntriesWith<{ idx: number; tag: string }>(
      q,
      tags.map((t) => ({ data: bytes(t), kind: 'test', messageId: t })),
      attach,
    );
  /** Every attached row names the index of its own entry, and nothing else was written. */
  const rowsMatchEntries = async (s: Store) => {
    const r = await s.query<{ entry_idx: string; idx: string | null }>(
      `SELECT t.entry_idx::text, e.idx::text FROM tagged t LEFT JOIN ledger_entries e ON e.message_id = t.tag ORDER BY t.entry_idx`,
    );
    expect(r.rows.every((x) => x.idx === x.entry_idx)).toBe(true);
    return r.rows.length;
  };

  describe.each(all.map((d) => [d.name, d] as const))('%s', (_name, driver) => {
    it('writes the attached rows with the entries and returns their RETURNING rows', async () => {
      const s = await driver.fresh();
      await setup(s);
      await appendEntries(s, [{ data: bytes('before'), kind: 'test' }]);
      const { attach, calls } = tagged(['a', 'b', 'c']);
      const out = await s.tx((q) => appendTagged(q, ['a', 'b', 'c'], attach));
      expect(out.entries.map((e) => e.index)).toEqual([1, 2, 3]);
      expect(out.rows).toEqual([
        { idx: 1, tag: 'a' },
        { idx: 2, tag: 'b' },
        { idx: 3, tag: 'c' },
      ]);
      expect(calls).toEqual([[1, 2, 3]]);
      expect(await rowsMatchEntries(s)).toBe(3);
    });

    it('returns no rows when the attachment returns none or has no RETURNING list', async () => {
      const s = await driver.fresh();
      await setup(s);
      const none = await s.tx((q) =>
        appendEntriesWith(q, [{ data: bytes('x'), kind: 'test' }], () => [
          {
            insert: 'INSERT INTO tagged (entry_idx, tag)',
            select: 'SELECT 0::bigint, $1::text WHERE false',
            params: ['x'],
            returning: 'tag',
          },
        ]),
      );
      expect(none.entries).toHaveLength(1);
      expect(none.rows).toEqual([]);
      const quiet = await s.tx((q) => appendTagged(q, ['y'], tagged(['y'], false).attach));
      expect(quiet.rows).toEqual([]);
      expect(await rowsMatchEntries(s)).toBe(1);
    });

    it('appends alone when the attachment has nothing to write', async () => {
      const s = await driver.fresh();
      await setup(s);
      const out = await s.tx((q) =>
        appendEntriesWith(q, [{ data: bytes('z'), kind: 'test' }], () => []),
      );
      expect(out).toEqual({ entries: [expect.objectContaining({ index: 0 })], rows: [] });
      expect(await rowsMatchEntries(s)).toBe(0);
    });

    it('rolls back with the transaction', async () => {
      const s = await driver.fresh();
      await setup(s);
      await expect(
        s.tx(async (q) => {
          await appendTagged(q, ['gone'], tagged(['gone']).attach);
          throw new Error('rolled back');
        }),
      ).rejects.toThrow('rolled back');
      expect(await rowsMatchEntries(s)).toBe(0);
      expect((await s.query('SELECT count(*)::int AS n FROM ledger_entries')).rows[0]).toEqual({
        n: 0,
      });
    });
  });

  it('PostgreSQL: when another writer moved the head, nothing of the first try is written', async () => {
    const driver = all.find((d) => d.name === 'postgres')!;
    const a = await driver.fresh();
    const b = await driver.another(a);
    await setup(a);
    await appendEntries(a, [{ data: bytes('a0'), kind: 'test' }]); // a's head: size 1
    await appendEntries(b, [{ data: bytes('b0'), kind: 'test' }]); // the head moves to 2
    const { attach, calls } = tagged(['p', 'q']);
    const out = await a.tx((q) => appendTagged(q, ['p', 'q'], attach));
    // planned on the stale head (indices 1, 2), then again on the real one (2, 3)
    expect(calls).toEqual([
      [1, 2],
      [2, 3],
    ]);
    expect(out.rows.map((r) => r.idx)).toEqual([2, 3]);
    expect(await rowsMatchEntries(a)).toBe(2);
  });
});

describe('an append that carries the COMMIT (AppendOptions.commit)', () => {
  const all = drivers();
  afterAll(() => Promise.all(all.map((d) => d.close())));
  const driver = () => all.find((d) => d.name === 'postgres')!;
  /** Head size and stored entries, which must agree. */
  const sizes = async (s: Store) => ({
    head: (await s.query<{ size: number }>('SELECT size FROM ledger_head')).rows[0]!.size,
    entries: (await s.query<{ n: number }>('SELECT count(*)::int AS n FROM ledger_entries'))
      .rows[0]!.n,
  });

  it('writes and commits in its own statement when the head is where it was planned', async () => {
    const a = await driver().fresh();
    await appendEntries(a, [{ data: bytes('a0'), kind: 'test' }]);
    const out = await a.tx(async (q) => {
      await q.query("SELECT set_config('tongban.marker', 'x', true)");
      return appendEntriesWith(q, [{ data: bytes('a1'), kind: 'test' }], undefined, {
        commit: true,
      });
    });
    expect(out.entries.map((e) => e.index)).toEqual([1]);
    expect(await sizes(a)).toEqual({ head: 2, entries: 2 });
  });

  it('PostgreSQL: on a moved head fails the whole transaction, asking for a retry; the retry succeeds', async () => {
    const a = await driver().fresh();
    const b = await driver().another(a);
    await a.exec('CREATE TABLE side (id int PRIMARY KEY)');
    await appendEntries(a, [{ data: bytes('a0'), kind: 'test' }]); // a's head: size 1
    await appendEntries(b, [{ data: bytes('b0'), kind: 'test' }]); // the head moves to 2
    const attempt = () =>
      a.tx(async (q) => {
        await q.query('INSERT INTO side (id) VALUES (1)');
        return appendEntriesWith(q, [{ data: bytes('a1'), kind: 'test' }], undefined, {
          commit: true,
        });
      });
    const err = await attempt().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ code: 'try_again', retryTransaction: true });
    // nothing of that transaction was written, not even its first statement
    expect((await a.query('SELECT 1 FROM side')).rowCount).toBe(0);
    expect(await sizes(a)).toEqual({ head: 2, entries: 2 });
    const again = await attempt(); // planned on the head read under the lock
    expect(again.entries.map((e) => e.index)).toEqual([2]);
    expect((await a.query('SELECT 1 FROM side')).rowCount).toBe(1);
    expect(await sizes(a)).toEqual({ head: 3, entries: 3 });
  });
});

describe('attachedCtes', () => {
  const one = (returning?: string): Attached => ({
    insert: 'INSERT INTO t (a, b)',
    select: 'SELECT * FROM unnest($1::int[], $2::text[])',
    params: [[1], ['x']],
    returning,
  });

  it('numbers each attachment after the append and the attachments before it', () => {
    const r = attachedCtes([one(), one('a')], 13);
    expect(r.params).toEqual([[1], ['x'], [1], ['x']]);
    expect(r.ctes).toContain('unnest($13::int[], $14::text[])');
    expect(r.ctes).toContain('unnest($15::int[], $16::text[])');
    expect(r.ctes).toMatch(/attached_0 AS \(INSERT INTO t \(a, b\) SELECT \* FROM \(SELECT/);
    expect(r.ctes).toContain('WHERE EXISTS (SELECT 1 FROM head)');
    expect(r.returning).toBe('attached_1');
  });

  it('refuses two attachments that both return rows', () => {
    expect(() => attachedCtes([one('a'), one('b')], 1)).toThrow(/at most one/);
  });
});

describe('attaching an UPDATE to a ledger append', () => {
  const all = drivers();
  afterAll(() => Promise.all(all.map((d) => d.close())));
  const flagged = (ids: string[]): Attached => ({
    update: `UPDATE flags f SET seen = true, n = n + 1 FROM unnest($1::text[]) AS u(id) WHERE f.id = u.id AND ${HEAD_WRITTEN}`,
    params: [ids],
    returning: 'f.id',
  });

  describe.each(all.map((d) => [d.name, d] as const))('%s', (_name, driver) => {
    it('changes the rows in the append’s statement and returns them', async () => {
      const s = await driver.fresh();
      await s.query(
        'CREATE TABLE flags (id text PRIMARY KEY, seen boolean NOT NULL DEFAULT false, n int NOT NULL DEFAULT 0)',
      );
      await s.query(`INSERT INTO flags (id) VALUES ('a'), ('b'), ('c')`);
      const out = await s.tx((q) =>
        appendEntriesWith<{ id: string }>(q, [{ data: bytes('u1'), kind: 'test' }], () => [
          flagged(['a', 'c']),
        ]),
      );
      expect(out.rows.map((r) => r.id).sort()).toEqual(['a', 'c']);
      const seen = await s.query<{ id: string }>('SELECT id FROM flags WHERE seen ORDER BY id');
      expect(seen.rows.map((r) => r.id)).toEqual(['a', 'c']);
    });
  });

  it('PostgreSQL: when another writer moved the head, the first try changes nothing', async () => {
    const driver = all.find((d) => d.name === 'postgres')!;
    const a = await driver.fresh();
    const b = await driver.another(a);
    await a.query(
      'CREATE TABLE flags (id text PRIMARY KEY, seen boolean NOT NULL DEFAULT false, n int NOT NULL DEFAULT 0)',
    );
    await a.query(`INSERT INTO flags (id) VALUES ('a')`);
    // a counts how often the first try's UPDATE ran: once per plan, each guarded by the head
    await a.query('CREATE TABLE hits (n int NOT NULL)');
    await appendEntries(a, [{ data: bytes('a0'), kind: 'test' }]);
    await appendEntries(b, [{ data: bytes('b0'), kind: 'test' }]); // the head moves
    let plans = 0;
    const out = await a.tx((q) =>
      appendEntriesWith<{ id: string }>(q, [{ data: bytes('a1'), kind: 'test' }], () => {
        plans++;
        return [
          flagged(['a']),
          {
            insert: 'INSERT INTO hits (n)',
            select: 'SELECT $1::int',
            params: [plans],
          },
        ];
      }),
    );
    expect(plans).toBe(2);
    expect(out.rows).toEqual([{ id: 'a' }]);
    // only the second plan's rows were written, and the row was changed once
    expect((await a.query<{ n: number }>('SELECT n FROM hits')).rows).toEqual([{ n: 2 }]);
    expect((await a.query<{ n: number }>('SELECT n FROM flags')).rows).toEqual([{ n: 1 }]);
  });

  it('refuses an UPDATE that does not require the append’s write', () => {
    expect(() =>
      attachedCtes([{ update: 'UPDATE flags SET seen = true WHERE id = $1', params: ['a'] }], 1),
    ).toThrow(/must require/);
  });
});
