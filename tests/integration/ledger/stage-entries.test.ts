import {
  appendEntries,
  appendEntriesWith,
  flushStaged,
  stageEntries,
  treeHead,
  verifyLedger,
  type Attached,
} from '../../../gateway/ledger';
import { observedStore } from '../../../gateway/store/observed';
import type { Store } from '../../../gateway/store';
import { bytes, drivers, testSigner } from './helpers/db';

/**
 * Staged entries (stageEntries): their indices are fixed at once, they are written later in ONE
 * statement with whatever else the transaction stages or appends, and a head that moved in
 * between fails the transaction rather than re-planning entries someone may have signed for.
 */
describe('staging ledger entries', () => {
  const all = drivers();
  afterAll(() => Promise.all(all.map((d) => d.close())));
  const { vkey } = testSigner();
  /** Recomputed from the stored bytes, the tree agrees with its head, subtrees and leaves. */
  const consistent = async (s: Store, size: number) =>
    expect(await verifyLedger(s, { vkey })).toMatchObject({ ok: true, size, problems: [] });
  const count = async (s: Store, table: string) =>
    (await s.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0]!.n;
  const tagged =
    (tags: string[]) =>
    (idx: readonly number[]): Attached[] => [
      {
        insert: 'INSERT INTO tagged (entry_idx, tag)',
        select: 'SELECT * FROM unnest($1::int8[], $2::text[])',
        params: [idx, tags],
      },
    ];
  const entries = (tags: string[]) =>
    tags.map((t) => ({ data: bytes(t), kind: 'test', messageId: t }));

  describe.each(all.map((d) => [d.name, d] as const))('%s', (_name, driver) => {
    it('fixes the indices at once and writes everything staged in one statement at the flush', async () => {
      const base = await driver.fresh();
      await base.query('CREATE TABLE tagged (entry_idx bigint PRIMARY KEY, tag text NOT NULL)');
      await appendEntries(base, entries(['before']));
      const sql: string[] = [];
      const s = observedStore(base, (e) => void (e.kind === 'statement' && sql.push(e.sql)));
      const { first, second } = await s.tx(async (q) => {
        const first = await stageEntries(q, entries(['a', 'b']), tagged(['a', 'b']));
        const second = await stageEntries(q, entries(['c']), tagged(['c']));
        // nothing written yet: the other statements of the transaction see no entry
        const seen = await q.query<{ n: number }>('SELECT count(*)::int AS n FROM ledger_entries');
        expect(seen.rows[0]!.n).toBe(1);
        sql.length = 0;
        await flushStaged(q);
        return { first, second };
      });
      expect(first.map((e) => e.index)).toEqual([1, 2]);
      expect(second.map((e) => e.index)).toEqual([3]);
      expect(sql).toHaveLength(1); // one write for both stages and their rows
      const rows = await base.query<{ entry_idx: number; tag: string; idx: number }>(
        `SELECT t.entry_idx::int, t.tag, e.idx::int FROM tagged t
           JOIN ledger_entries e ON e.message_id = t.tag ORDER BY t.entry_idx`,
      );
      expect(rows.rows).toEqual([
        { entry_idx: 1, tag: 'a', idx: 1 },
        { entry_idx: 2, tag: 'b', idx: 2 },
        { entry_idx: 3, tag: 'c', idx: 3 },
      ]);
      expect((await treeHead(base)).size).toBe(4);
      await consistent(base, 4);
    });

    it('rides with the next append through the transaction, staged entries first', async () => {
      const s = await driver.fresh();
      await appendEntries(s, entries(['first'])); // (this store's head known to this process)
      const out = await s.tx(async (q) => {
        const staged = await stageEntries(q, entries(['s1', 's2']));
        const appended = await appendEntriesWith(q, entries(['x']), undefined, {
          sameTransaction: true,
        });
        await flushStaged(q); // nothing left: no statement
        return { staged, appended };
      });
      expect(out.staged.map((e) => e.index)).toEqual([1, 2]);
      expect(out.appended.entries.map((e) => e.index)).toEqual([3]);
      const order = await s.query<{ message_id: string }>(
        'SELECT message_id FROM ledger_entries ORDER BY idx',
      );
      expect(order.rows.map((r) => r.message_id)).toEqual(['first', 's1', 's2', 'x']);
      await consistent(s, 4);
    });

    it('leaves nothing when the transaction rolls back, and the next append still fits', async () => {
      const s = await driver.fresh();
      await appendEntries(s, entries(['first']));
      await expect(
        s.tx(async (q) => {
          await stageEntries(q, entries(['gone']));
          await flushStaged(q);
          throw new Error('rolled back');
        }),
      ).rejects.toThrow('rolled back');
      expect(await count(s, 'ledger_entries')).toBe(1);
      await appendEntries(s, entries(['next']));
      await consistent(s, 2);
    });

    it('needs a transaction handle', async () => {
      const s = await driver.fresh();
      await expect(stageEntries(s, entries(['loose']))).rejects.toThrow(/transaction/);
    });
  });

  it('PostgreSQL: on a moved head the flush fails the transaction, asking for a retry; the retry succeeds', async () => {
    const driver = all.find((d) => d.name === 'postgres')!;
    const a = await driver.fresh();
    const b = await driver.another(a);
    await appendEntries(a, entries(['a0'])); // a's head: size 1
    await appendEntries(b, entries(['b0'])); // the head moves to 2
    const attempt = () =>
      a.tx(async (q) => {
        const staged = await stageEntries(q, entries(['p']));
        await flushStaged(q);
        return staged.map((e) => e.index);
      });
    const err = await attempt().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ code: 'try_again', retryTransaction: true });
    expect(await count(a, 'ledger_entries')).toBe(2);
    expect(await attempt()).toEqual([2]); // planned on the head read under the lock
    await consistent(a, 3);
    // Another writer is active: for a while this process plans under the lock (CONTENDED_MS),
    // so the other moving the head again costs no failed transaction.
    await appendEntries(b, entries(['b1']));
    expect(await attempt()).toEqual([4]);
    await consistent(a, 5);
  });
});
