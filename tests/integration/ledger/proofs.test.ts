import { TongbanError } from '../../../gateway/errors';
import {
  appendEntries,
  appendEntry,
  consistencyProof,
  entries,
  inclusionProof,
  rootAt,
  treeHead,
  verifyConsistency,
  verifyInclusion,
} from '../../../gateway/ledger';
import type { Store } from '../../../gateway/store';
import { ReferenceTree } from '../../unit/ledger/helpers/reference-tree';
import { toHexAll } from '../../unit/ledger/helpers/vectors';
import { bytes, drivers } from './helpers/db';

const N = 70;
const hexOf = (h: Uint8Array): string => Buffer.from(h).toString('hex');

describe.each(drivers())('the stored tree on $name', (driver) => {
  afterAll(() => driver.close());

  describe('proofs from the stored tree, sizes 1-70', () => {
    let store: Store;
    const ref = new ReferenceTree();

    beforeAll(async () => {
      store = await driver.fresh();
      for (let i = 0; i < N; i++) {
        const data = bytes(`message ${i}`);
        ref.append(data);
        const r = await store.tx((q) =>
          appendEntry(q, data, { kind: 'envelope', messageId: `m-${i}` }),
        );
        expect(r.index).toBe(i);
        expect(hexOf(r.leafHash)).toBe(hexOf(ref.leaves[i]!));
      }
    });

    it('keeps the head root equal to the reference root', async () => {
      const head = await treeHead(store);
      expect(head.size).toBe(N);
      expect(hexOf(head.root)).toBe(hexOf(ref.root()));
    });

    it('rebuilds the root of every past size from stored subtrees', async () => {
      for (let n = 0; n <= N; n++) expect(hexOf(await rootAt(store, n))).toBe(hexOf(ref.root(n)));
    });

    it('serves every inclusion proof (all indices, sizes 1-70) as the reference does', async () => {
      for (let n = 1; n <= N; n++) {
        for (let m = 0; m < n; m++) {
          const p = await inclusionProof(store, m, n);
          expect(toHexAll(p.hashes)).toEqual(toHexAll(ref.inclusion(m, n)));
          expect(
            verifyInclusion({
              index: m,
              size: n,
              leafHash: ref.leaves[m]!,
              proof: p.hashes,
              root: ref.root(n),
            }),
          ).toBe(true);
        }
      }
    });

    it('serves every consistency proof (all pairs 1 <= m <= n <= 70) as the reference does', async () => {
      for (let n = 1; n <= N; n++) {
        for (let m = 1; m <= n; m++) {
          const p = await consistencyProof(store, m, n);
          expect(toHexAll(p.hashes)).toEqual(toHexAll(ref.consistency(m, n)));
          expect(
            verifyConsistency({
              size1: m,
              size2: n,
              root1: ref.root(m),
              root2: ref.root(n),
              proof: p.hashes,
            }),
          ).toBe(true);
        }
      }
    });

    it('returns entries with their exact bytes and metadata, capped and clipped at the head', async () => {
      const list = await entries(store, 68, 5000);
      expect(
        list.map((e) => [e.index, Buffer.from(e.data).toString(), e.kind, e.messageId]),
      ).toEqual([
        [68, 'message 68', 'envelope', 'm-68'],
        [69, 'message 69', 'envelope', 'm-69'],
      ]);
      expect(await entries(store, 500, 501)).toEqual([]);
    });

    describe('when the request is out of range', () => {
      const rangeErr = (pointer: string) =>
        expect.objectContaining({ code: 'ledger_range', details: { pointer } });

      it('refuses an index at or past the size, a size past the head, and sizes below 1', async () => {
        await expect(inclusionProof(store, 5, 5)).rejects.toEqual(rangeErr('/query/index'));
        await expect(inclusionProof(store, 0, N + 1)).rejects.toEqual(rangeErr('/query/size'));
        await expect(inclusionProof(store, -1, 3)).rejects.toEqual(rangeErr('/query/index'));
        await expect(consistencyProof(store, 0, 3)).rejects.toEqual(rangeErr('/query/from'));
        await expect(consistencyProof(store, 4, 3)).rejects.toEqual(rangeErr('/query/from'));
        await expect(consistencyProof(store, 3, N + 1)).rejects.toEqual(rangeErr('/query/to'));
        await expect(rootAt(store, N + 1)).rejects.toEqual(rangeErr('/query/size'));
        await expect(entries(store, 3, 3)).rejects.toEqual(rangeErr('/query/end'));
        await expect(entries(store, 1.5, 3)).rejects.toBeInstanceOf(TongbanError);
      });
    });
  });

  describe('appending', () => {
    it('appends a batch with one lock, equal to appending one by one', async () => {
      const store = await driver.fresh();
      const ref = new ReferenceTree();
      const items = Array.from({ length: 37 }, (_, i) => ({
        data: bytes(`batch ${i}`),
        kind: 'receipt',
        messageId: `it's, "odd" {${i}}`,
      }));
      items.forEach((i) => ref.append(i.data));
      const out = await store.tx((q) => appendEntries(q, items));
      expect(out.map((o) => o.index)).toEqual(items.map((_, i) => i));
      expect(hexOf((await treeHead(store)).root)).toBe(hexOf(ref.root()));
      expect((await entries(store, 36, 37))[0]?.messageId).toBe(`it's, "odd" {36}`);
    });

    it('rolls the entry back with the caller transaction', async () => {
      const store = await driver.fresh();
      await expect(
        store.tx(async (q) => {
          await appendEntry(q, bytes('doomed'), { kind: 'envelope' });
          throw new Error('business change failed');
        }),
      ).rejects.toThrow('business change failed');
      expect((await treeHead(store)).size).toBe(0);
      expect(
        (await store.tx((q) => appendEntry(q, bytes('next'), { kind: 'envelope' }))).index,
      ).toBe(0);
    });

    it('opens its own transaction when handed the store, and refuses bad input', async () => {
      const store = await driver.fresh();
      expect((await appendEntries(store, [{ data: bytes('a') }]))[0]?.index).toBe(0);
      await expect(
        appendEntry(store, 'text' as unknown as Uint8Array, { kind: 'x' }),
      ).rejects.toMatchObject({ code: 'invalid_parameter' });
      await expect(appendEntry(store, bytes('x'), { kind: 'has space' })).rejects.toMatchObject({
        code: 'invalid_parameter',
      });
    });

    if (driver.name === 'postgres') {
      it('serialises appends from several gateway processes on one database', async () => {
        const a = await driver.fresh();
        const b = await driver.another(a);
        const write = (s: Store, tag: string) =>
          Promise.all(
            Array.from({ length: 40 }, (_, i) =>
              s.tx((q) => appendEntry(q, bytes(`${tag}-${i}`), { kind: 'envelope' })),
            ),
          );
        const [ra, rb] = await Promise.all([write(a, 'a'), write(b, 'b')]);
        const indices = [...ra, ...rb].map((r) => r.index).sort((x, y) => x - y);
        expect(indices).toEqual(Array.from({ length: 80 }, (_, i) => i));
        const ref = new ReferenceTree();
        for (const e of await entries(a, 0, 80)) ref.append(e.data);
        expect(hexOf((await treeHead(b)).root)).toBe(hexOf(ref.root()));
      });
    }
  });
});
