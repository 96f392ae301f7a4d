import {
  appendEntries,
  emptyRoot,
  formatCheckpoint,
  latestCheckpoint,
  openCheckpoint,
  publishCheckpoint,
  signNote,
  startCheckpointer,
  treeHead,
} from '../../../gateway/ledger';
import type { Store } from '../../../gateway/store';
import { bytes, drivers, tamper, testSigner } from './helpers/db';

const append = (store: Store, n: number, tag = 'e') =>
  appendEntries(
    store,
    Array.from({ length: n }, (_, i) => ({ data: bytes(`${tag}${i}`), kind: 'envelope' })),
  );

/** A checkpoint row as an attacker with the signing key (or a bug) might leave it. */
async function forgeCheckpoint(
  store: Store,
  signer: ReturnType<typeof testSigner>['signer'],
  size: number,
  root: Uint8Array,
) {
  const note = signNote(formatCheckpoint({ origin: signer.origin, size, root }), {
    name: signer.origin,
    privateKey: signer.privateKey,
  });
  await store.query('INSERT INTO ledger_checkpoints (size, root, note) VALUES ($1, $2, $3)', [
    size,
    root,
    note,
  ]);
}

describe.each(drivers())('checkpoints on $name', (driver) => {
  afterAll(() => driver.close());

  it('signs the tree head as a C2SP checkpoint that verifies under the vkey', async () => {
    const store = await driver.fresh();
    const { signer, vkey } = testSigner();
    const empty = await publishCheckpoint(store, signer);
    expect(empty.created).toBe(true);
    expect(openCheckpoint(empty.checkpoint.note, vkey, signer.origin)).toMatchObject({
      size: 0,
      root: emptyRoot(),
    });

    await append(store, 5);
    const five = await publishCheckpoint(store, signer);
    const head = await treeHead(store);
    expect(five.created).toBe(true);
    expect(openCheckpoint(five.checkpoint.note, vkey)).toMatchObject({
      origin: signer.origin,
      size: 5,
      root: head.root,
    });
    expect(five.checkpoint.note).toMatch(
      /^tongban\.example\/ledger\/230100\n5\n[A-Za-z0-9+/]{43}=\n\n\u2014 tongban\.example\/ledger\/230100 /,
    );
    expect((await latestCheckpoint(store))?.note).toBe(five.checkpoint.note);
  });

  it('does not sign again when nothing was appended', async () => {
    const store = await driver.fresh();
    const { signer } = testSigner();
    await append(store, 3);
    const first = await publishCheckpoint(store, signer);
    const again = await publishCheckpoint(store, signer);
    expect(again).toEqual({ checkpoint: first.checkpoint, created: false });
  });

  describe('when the new head is inconsistent with the last signed checkpoint', () => {
    const refused = expect.objectContaining({ code: 'ledger_inconsistent' });

    it('never signs a second root for an already signed size', async () => {
      const store = await driver.fresh();
      const { signer } = testSigner();
      await append(store, 7);
      await forgeCheckpoint(store, signer, 7, new Uint8Array(32).fill(7));
      await expect(publishCheckpoint(store, signer)).rejects.toEqual(refused);
    });

    it('refuses when the stored tree no longer proves the old checkpoint', async () => {
      const store = await driver.fresh();
      const { signer } = testSigner();
      await append(store, 6);
      await publishCheckpoint(store, signer);
      await append(store, 2, 'more');
      // Leaves 4-5 sit under the old checkpoint; their subtree is part of PROOF(6, D[8]), hashed
      // from the stored leaf hashes (subtrees of fewer than 16 leaves are not stored).
      await tamper(
        store,
        'ledger_entries',
        'UPDATE ledger_entries SET leaf_hash = $1 WHERE idx = 4',
        [new Uint8Array(32)],
      );
      await expect(publishCheckpoint(store, signer)).rejects.toEqual(refused);
      expect((await latestCheckpoint(store))?.size).toBe(6);
    });

    it('refuses when a checkpoint exists beyond the tree', async () => {
      const store = await driver.fresh();
      const { signer } = testSigner();
      await append(store, 2);
      await forgeCheckpoint(store, signer, 9, new Uint8Array(32));
      await expect(publishCheckpoint(store, signer)).rejects.toEqual(refused);
    });

    it('refuses when the last checkpoint row disagrees with its own note', async () => {
      const store = await driver.fresh();
      const { signer } = testSigner();
      await append(store, 2);
      await publishCheckpoint(store, signer);
      await tamper(store, 'ledger_checkpoints', 'UPDATE ledger_checkpoints SET root = $1', [
        new Uint8Array(32),
      ]);
      await append(store, 1);
      await expect(publishCheckpoint(store, signer)).rejects.toEqual(refused);
    });
  });

  describe('the checkpointer', () => {
    const waitFor = async (cond: () => Promise<boolean>) => {
      for (let i = 0; i < 200 && !(await cond()); i++) await new Promise((r) => setTimeout(r, 10));
      return cond();
    };

    it('publishes after N entries, after T ms with unsigned entries, and on kick()', async () => {
      const store = await driver.fresh();
      const { signer } = testSigner();
      const published: number[] = [];
      const cp = startCheckpointer({
        store,
        signer,
        everyEntries: 3,
        everyMs: 60_000,
        pollMs: 10,
        onPublish: (r) => published.push(r.checkpoint.size),
      });
      try {
        await append(store, 2);
        await new Promise((r) => setTimeout(r, 60));
        expect(await latestCheckpoint(store)).toBeNull();
        await append(store, 1, 'third');
        expect(await waitFor(async () => (await latestCheckpoint(store))?.size === 3)).toBe(true);
        await append(store, 1, 'fourth');
        expect((await cp.kick()).checkpoint.size).toBe(4);
      } finally {
        await cp.stop();
      }
      expect(published).toEqual([3, 4]);

      const timed = startCheckpointer({
        store,
        signer,
        everyEntries: 1000,
        everyMs: 30,
        pollMs: 10,
      });
      try {
        await append(store, 1, 'fifth');
        expect(await waitFor(async () => (await latestCheckpoint(store))?.size === 5)).toBe(true);
      } finally {
        await timed.stop();
      }
    });

    it('reports a refused publish to onError and keeps running', async () => {
      const store = await driver.fresh();
      const { signer } = testSigner();
      await append(store, 1);
      await forgeCheckpoint(store, signer, 1, new Uint8Array(32));
      const errors: unknown[] = [];
      const cp = startCheckpointer({
        store,
        signer,
        everyEntries: 1,
        everyMs: 1000,
        pollMs: 10,
        onError: (e) => errors.push(e),
      });
      try {
        await append(store, 1, 'second');
        expect(await waitFor(async () => errors.length > 0)).toBe(true);
        expect(errors[0]).toMatchObject({ code: 'ledger_inconsistent' });
      } finally {
        await cp.stop();
      }
    });
  });
});
