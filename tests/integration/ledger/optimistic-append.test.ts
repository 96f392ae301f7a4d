import {
  appendEntries,
  entries,
  ledgerAppendRetries,
  publishCheckpoint,
  treeHead,
  verifyLedger,
} from '../../../gateway/ledger';
import type { Store } from '../../../gateway/store';
import { ReferenceTree } from '../../unit/ledger/helpers/reference-tree';
import { bytes, drivers, testSigner } from './helpers/db';

/**
 * Appends are optimistic (ledger/store/append.ts): one statement that takes effect only if the
 * head is still the one this process last wrote. These tests make it wrong on purpose — another
 * "gateway" on the same ledger, a rolled-back append, concurrent transactions — and check that
 * the tree stays exactly the RFC 6962 tree of the committed entries in index order.
 */
describe('optimistic ledger appends on PostgreSQL', () => {
  const driver = drivers().find((d) => d.name === 'postgres')!;
  const { signer, vkey } = testSigner();
  afterAll(() => driver.close());

  /** The stored root equals a reference tree over the stored entries, and verifyLedger passes. */
  async function expectConsistent(store: Store, size: number) {
    const head = await treeHead(store);
    expect(head.size).toBe(size);
    const ref = new ReferenceTree();
    for (let at = 0; at < size;) {
      const page = await entries(store, at, size);
      for (const e of page) ref.append(e.data);
      at += page.length;
    }
    expect(Buffer.from(head.root).toString('hex')).toBe(Buffer.from(ref.root()).toString('hex'));
    await publishCheckpoint(store, signer);
    const report = await verifyLedger(store, { vkey, batchSize: 7 });
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
  }
  const one = (s: Store | Parameters<Parameters<Store['tx']>[0]>[0], tag: string) =>
    appendEntries(s, [{ data: bytes(tag), kind: 'envelope' }]);

  /**
   * An append in a transaction left open: resolves once the entry is written (head locked), and
   * `finish` then commits it, or rolls it back.
   */
  async function heldAppend(store: Store, tag: string) {
    let end!: (commit: boolean) => void;
    const decided = new Promise<boolean>((r) => (end = r));
    let appended!: () => void;
    const written = new Promise<void>((r) => (appended = r));
    const tx = store.tx(async (q) => {
      await one(q, tag);
      appended();
      if (!(await decided)) throw new Error('rolled back');
    });
    await written;
    return {
      finish: (commit: boolean) => {
        end(commit);
        return tx;
      },
    };
  }

  it('two gateways on one ledger, taking turns and racing', async () => {
    const a = await driver.fresh();
    const b = await driver.another(a);
    await one(a, 'a0');
    await one(a, 'a1');
    await one(b, 'b0'); // a's idea of the head is now stale
    const before = ledgerAppendRetries(a);
    await one(a, 'a2'); // written only after reading the head again
    expect(ledgerAppendRetries(a)).toBe(before + 1);
    await Promise.all(Array.from({ length: 20 }, (_, i) => one(i % 2 ? a : b, `race ${i}`)));
    await expectConsistent(a, 24);
  });

  it("one process's concurrent appends take turns: each plans on the last one's head, none writes twice", async () => {
    const a = await driver.fresh();
    await one(a, 'first');
    const before = ledgerAppendRetries(a);
    await Promise.all(Array.from({ length: 12 }, (_, i) => a.tx((q) => one(q, `turn ${i}`))));
    expect(ledgerAppendRetries(a)).toBe(before);
    await expectConsistent(a, 13);
  });

  it('a rolled-back append, then another writer reaching the same size with other hashes', async () => {
    const a = await driver.fresh();
    const b = await driver.another(a);
    await one(a, 'first');
    await expect(
      a.tx(async (q) => {
        await one(q, 'never committed');
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    await one(b, 'second, by b'); // same size a last wrote, different frontier
    await one(a, 'third, by a'); // a must not build on its rolled-back head
    await expectConsistent(a, 3);
  });

  it('concurrent transactions of one gateway: the second waits for the first and builds on it', async () => {
    const a = await driver.fresh();
    await one(a, 'zero');
    const first = await heldAppend(a, 'first, committed late');
    const second = one(a, 'second'); // planned on the uncommitted head; waits for its lock
    await new Promise((r) => setTimeout(r, 100));
    await Promise.all([first.finish(true), second]);
    await expectConsistent(a, 3);
  });

  it('concurrent transactions of one gateway: when the first rolls back, the second still lands right', async () => {
    const a = await driver.fresh();
    await one(a, 'zero');
    const first = await heldAppend(a, 'first, rolled back');
    const second = one(a, 'second');
    await new Promise((r) => setTimeout(r, 100));
    await expect(first.finish(false)).rejects.toThrow('rolled back');
    await second;
    await expectConsistent(a, 2);
    const stored = await entries(a, 0, 2);
    expect(stored.map((e) => Buffer.from(e.data).toString())).toEqual(['zero', 'second']);
  });
});
