import {
  appendEntries,
  consistencyProof,
  hashChildren,
  inclusionProof,
  publishCheckpoint,
  verifyLedger,
} from '../../../gateway/ledger';
import { perfectHash } from '../../../gateway/ledger/merkle/stored-levels';
import type { Store } from '../../../gateway/store';
import { ReferenceTree, refLeafHash } from '../../unit/ledger/helpers/reference-tree';
import { bytes, drivers, testSigner } from './helpers/db';

/**
 * Only subtrees of 16 leaves and more are stored (ledger/merkle/stored-levels.ts); proofs hash
 * smaller ones from the leaves. Checked against an independent reference tree at every index,
 * and with a ledger written by the earlier code (every level stored), good and tampered.
 */
const SIZE = 100;
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe.each(drivers().map((d) => [d.name, d] as const))('stored levels on %s', (_n, driver) => {
  const { signer, vkey } = testSigner();
  const ref = new ReferenceTree();
  let store: Store;
  beforeAll(async () => {
    store = await driver.fresh();
    for (let at = 0; at < SIZE; at += 7) {
      const items = Array.from({ length: Math.min(7, SIZE - at) }, (_, k) => {
        const data = bytes(`entry ${at + k}`);
        ref.append(data);
        return { data, kind: 'test' };
      });
      await appendEntries(store, items);
    }
    await publishCheckpoint(store, signer);
  });
  afterAll(() => driver.close());

  const nodeRows = async () =>
    (
      await store.query<{ level: number; idx: number }>(
        'SELECT level::int AS level, idx::int AS idx FROM ledger_nodes ORDER BY level, idx',
      )
    ).rows;

  it('stores exactly the complete subtrees of level 4 and up', async () => {
    // 100 leaves: six of 16, three of 32, one of 64
    expect(await nodeRows()).toEqual([
      ...[0, 1, 2, 3, 4, 5].map((idx) => ({ level: 4, idx })),
      ...[0, 1, 2].map((idx) => ({ level: 5, idx })),
      { level: 6, idx: 0 },
    ]);
  });

  it('proves every entry and every older size exactly as the reference tree does', async () => {
    for (let i = 0; i < SIZE; i++) {
      const p = await inclusionProof(store, i, SIZE);
      expect(p.hashes.map(hex)).toEqual(ref.inclusion(i, SIZE).map(hex));
    }
    for (const m of [1, 3, 8, 15, 16, 17, 31, 33, 64, 65, 99]) {
      const p = await consistencyProof(store, m, SIZE);
      expect(p.hashes.map(hex)).toEqual(ref.consistency(m, SIZE).map(hex));
    }
    const report = await verifyLedger(store, { vkey, batchSize: 9 });
    expect(report.problems).toEqual([]);
  });

  it('reads a ledger written with every level stored, and still checks those rows', async () => {
    // what the earlier code also wrote: levels 1-3 (their hashes, from the reference leaves)
    const leaves = Array.from({ length: SIZE }, (_, i) => refLeafHash(bytes(`entry ${i}`)));
    const low: [number, number, Uint8Array][] = [];
    for (let level = 1; level < 4; level++) {
      const w = 2 ** level;
      for (let idx = 0; (idx + 1) * w <= SIZE; idx++)
        low.push([level, idx, perfectHash(leaves.slice(idx * w, (idx + 1) * w))]);
    }
    await store.query(
      `INSERT INTO ledger_nodes (level, idx, hash) SELECT * FROM unnest($1::int2[], $2::int8[], $3::bytea[])`,
      [low.map((r) => r[0]), low.map((r) => r[1]), low.map((r) => Buffer.from(r[2]))],
    );
    expect((await inclusionProof(store, 37, SIZE)).hashes.map(hex)).toEqual(
      ref.inclusion(37, SIZE).map(hex),
    );
    expect((await verifyLedger(store, { vkey })).problems).toEqual([]);
    // a wrong one of those rows is still caught, at its subtree's first leaf
    await store.tx(async (q) => {
      await q.query('ALTER TABLE ledger_nodes DISABLE TRIGGER USER');
      await q.query('UPDATE ledger_nodes SET hash = $1 WHERE level = 2 AND idx = 9', [
        Buffer.alloc(32),
      ]);
      await q.query('ALTER TABLE ledger_nodes ENABLE TRIGGER USER');
    });
    expect((await verifyLedger(store, { vkey })).problems[0]).toMatchObject({
      index: 36,
      kind: 'tampered',
    });
  });
});

describe('perfectHash', () => {
  it('is the RFC 6962 hash of a perfect subtree', () => {
    const ref = new ReferenceTree();
    const leaves = Array.from({ length: 8 }, (_, i) => {
      ref.append(bytes(`l${i}`));
      return refLeafHash(bytes(`l${i}`));
    });
    expect(hex(perfectHash(leaves))).toBe(hex(ref.root(8)));
    expect(hex(perfectHash(leaves.slice(0, 2)))).toBe(hex(hashChildren(leaves[0]!, leaves[1]!)));
    expect(hex(perfectHash(leaves.slice(0, 1)))).toBe(hex(leaves[0]!));
  });
});
