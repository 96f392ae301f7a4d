import { appendEntries, publishCheckpoint } from '../../../gateway/ledger';
import type { Store } from '../../../gateway/store';
import { bytes, drivers, testSigner } from './helpers/db';

describe.each(drivers())('append-only tables on $name', (driver) => {
  let store: Store;

  beforeAll(async () => {
    store = await driver.fresh();
    await appendEntries(
      store,
      // 16 entries: one stored subtree (level 4; lower levels are not stored)
      Array.from({ length: 16 }, (_, i) => ({ data: bytes(`e${i}`), kind: 'envelope' })),
    );
    await publishCheckpoint(store, testSigner().signer);
  });
  afterAll(() => driver.close());

  describe('when a row is changed or removed', () => {
    it.each([
      ['UPDATE ledger_entries SET data = $1 WHERE idx = 1', [bytes('forged')]],
      ['DELETE FROM ledger_entries WHERE idx = 3', []],
      ['TRUNCATE ledger_entries', []],
      ['UPDATE ledger_nodes SET hash = $1 WHERE level = 4', [new Uint8Array(32)]],
      ['DELETE FROM ledger_nodes', []],
      ['TRUNCATE ledger_nodes', []],
      ['UPDATE ledger_checkpoints SET note = $1', ['forged']],
      ['DELETE FROM ledger_checkpoints', []],
      ['TRUNCATE ledger_checkpoints', []],
    ])('refuses %s', async (sql, params) => {
      await expect(store.query(sql, params)).rejects.toThrow(
        /is append-only \((UPDATE|DELETE|TRUNCATE) refused\)/,
      );
    });

    it.each([
      ['UPDATE ledger_head SET size = 1, frontier = $1', [new Uint8Array(32)]],
      ['DELETE FROM ledger_head', []],
      ['TRUNCATE ledger_head', []],
    ])('refuses to move the head backwards: %s', async (sql, params) => {
      await expect(store.query(sql, params)).rejects.toThrow(/ledger_head only grows/);
    });

    it('left every row in place', async () => {
      const { rows } = await store.query<{ e: number; n: number; c: number; s: number }>(
        `SELECT (SELECT count(*) FROM ledger_entries)::int AS e, (SELECT count(*) FROM ledger_nodes)::int AS n,
                (SELECT count(*) FROM ledger_checkpoints)::int AS c, (SELECT size FROM ledger_head)::int AS s`,
      );
      expect(rows[0]).toEqual({ e: 16, n: 1, c: 1, s: 16 });
    });
  });
});
