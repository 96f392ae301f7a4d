import { generateKeyPairSync } from 'node:crypto';
import {
  appendEntries,
  formatCheckpoint,
  hashLeaf,
  publishCheckpoint,
  signNote,
  verifyLedger,
} from '../../../gateway/ledger';
import type { Store } from '../../../gateway/store';
import { bytes, drivers, tamper, testSigner } from './helpers/db';

const SIZE = 100;

describe.each(drivers())('verifyLedger on $name', (driver) => {
  const { signer, vkey } = testSigner();
  afterAll(() => driver.close());

  /** A fresh ledger of SIZE entries with checkpoints at 10, 50 and 100. */
  async function ledger(): Promise<Store> {
    const store = await driver.fresh();
    let at = 0;
    for (const size of [10, 50, SIZE]) {
      await appendEntries(
        store,
        Array.from({ length: size - at }, (_, i) => ({
          data: bytes(`envelope #${at + i}`),
          kind: 'envelope',
        })),
      );
      await publishCheckpoint(store, signer);
      at = size;
    }
    return store;
  }
  // Small batches, so the checks also run across batch boundaries.
  const verify = (store: Store) => verifyLedger(store, { vkey, batchSize: 16 });

  it('passes an untouched ledger', async () => {
    const store = await ledger();
    const progress: number[] = [];
    const report = await verifyLedger(store, {
      vkey,
      batchSize: 16,
      onProgress: (n) => progress.push(n),
    });
    expect(report).toEqual({
      ok: true,
      size: SIZE,
      verifiedEntries: SIZE,
      checkpoints: 3,
      problems: [],
    });
    expect(progress.at(-1)).toBe(SIZE);
  });

  if (driver.name === 'postgres') {
    it('verifies one snapshot while another gateway keeps appending', async () => {
      const store = await ledger();
      const other = await driver.another(store);
      const writes = Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          other.tx((q) => appendEntries(q, [{ data: bytes(`late ${i}`), kind: 'envelope' }])),
        ),
      );
      const report = await verifyLedger(store, { vkey, batchSize: 4 });
      await writes;
      expect(report.ok).toBe(true);
      expect(report.size).toBeGreaterThanOrEqual(SIZE);
    });
  }

  describe('when the database was tampered with', () => {
    it('names the entry whose data was changed', async () => {
      const store = await ledger();
      await tamper(store, 'ledger_entries', 'UPDATE ledger_entries SET data = $1 WHERE idx = 37', [
        bytes('forged envelope'),
      ]);
      const report = await verify(store);
      expect(report.ok).toBe(false);
      expect(report.problems[0]).toMatchObject({ index: 37, kind: 'tampered' });
      expect(report.verifiedEntries).toBe(37);
    });

    it('names the first deleted entry', async () => {
      const store = await ledger();
      await tamper(store, 'ledger_entries', 'DELETE FROM ledger_entries WHERE idx IN (41, 77)');
      expect((await verify(store)).problems[0]).toMatchObject({ index: 41, kind: 'missing' });
    });

    it('names the first of two entries whose data was swapped', async () => {
      const store = await ledger();
      await tamper(
        store,
        'ledger_entries',
        `UPDATE ledger_entries SET data = CASE idx WHEN 20 THEN (SELECT data FROM ledger_entries WHERE idx = 60)
                                                  ELSE (SELECT data FROM ledger_entries WHERE idx = 20) END
         WHERE idx IN (20, 60)`,
      );
      expect((await verify(store)).problems[0]).toEqual({
        index: 20,
        kind: 'reordered',
        detail: 'entry 20 holds the data of entry 60',
      });
    });

    it('notices a deleted last entry', async () => {
      const store = await ledger();
      await tamper(store, 'ledger_entries', `DELETE FROM ledger_entries WHERE idx = ${SIZE - 1}`);
      expect((await verify(store)).problems[0]).toMatchObject({ index: SIZE - 1, kind: 'missing' });
    });

    it('catches data rewritten together with its leaf hash through the stored subtree hashes', async () => {
      const store = await ledger();
      const forged = bytes('forged, rehashed');
      await tamper(
        store,
        'ledger_entries',
        'UPDATE ledger_entries SET data = $1, leaf_hash = $2 WHERE idx = 37',
        [forged, hashLeaf(forged)],
      );
      // The level-4 subtree [32, 48) is the finest stored hash covering entry 37 (subtrees of
      // fewer than 16 leaves are not stored: merkle/stored-levels.ts).
      expect((await verify(store)).problems[0]).toMatchObject({ index: 32, kind: 'tampered' });
    });

    it('reports checkpoints whose root or signature does not hold', async () => {
      const store = await ledger();
      const other = generateKeyPairSync('ed25519').privateKey;
      const wrongRoot = signNote(
        formatCheckpoint({ origin: signer.origin, size: 20, root: new Uint8Array(32) }),
        { name: signer.origin, privateKey: signer.privateKey },
      );
      const wrongKey = signNote(
        formatCheckpoint({ origin: signer.origin, size: 30, root: new Uint8Array(32) }),
        { name: signer.origin, privateKey: other },
      );
      await store.query(
        'INSERT INTO ledger_checkpoints (size, root, note) VALUES (20, $1, $2), (30, $1, $3)',
        [new Uint8Array(32), wrongRoot, wrongKey],
      );
      const report = await verify(store);
      expect(report.problems.map((p) => [p.index, p.kind])).toEqual([
        [20, 'checkpoint_mismatch'],
        [30, 'bad_checkpoint_signature'],
        [30, 'checkpoint_mismatch'],
      ]);
      expect(report.verifiedEntries).toBe(SIZE);
    });
  });
});
