import { foldCover, perfectCover } from '../../../gateway/ledger/merkle/cover';
import {
  consistencyRanges,
  inclusionRanges,
  type LeafRange,
} from '../../../gateway/ledger/merkle/ranges';
import { verifyConsistency } from '../../../gateway/ledger/merkle/verify-consistency';
import { verifyInclusion } from '../../../gateway/ledger/merkle/verify-inclusion';
import { ReferenceTree } from './helpers/reference-tree';
import { toHexAll } from './helpers/vectors';

/** Hashes a range the way the store does: fold the hashes of its perfect cover. */
function rangeHash(ref: ReferenceTree, r: LeafRange): Uint8Array {
  const hashes = perfectCover(r).map(({ level, index }) => {
    const start = Number(index) * 2 ** level;
    return ref.rangeRoot(start, start + 2 ** level);
  });
  return foldCover(hashes);
}

describe('proof planning by leaf ranges (RFC 9162 §2.1.3.1, §2.1.4.1) against the recursive definitions', () => {
  const ref = new ReferenceTree();
  for (let i = 0; i < 70; i++) ref.append(Buffer.from(`leaf ${i}`));

  it('covers a range with perfect subtrees of strictly decreasing size', () => {
    expect(perfectCover([64n, 70n])).toEqual([
      { level: 2, index: 16n },
      { level: 1, index: 34n },
    ]);
    expect(perfectCover([0n, 1n])).toEqual([{ level: 0, index: 0n }]);
  });

  it('plans every inclusion proof for sizes 1-70 exactly as PATH(m, D[n])', () => {
    for (let n = 1; n <= 70; n++) {
      for (let m = 0; m < n; m++) {
        const proof = inclusionRanges(BigInt(m), BigInt(n)).map((r) => rangeHash(ref, r));
        expect(toHexAll(proof)).toEqual(toHexAll(ref.inclusion(m, n)));
        expect(
          verifyInclusion({
            index: m,
            size: n,
            leafHash: ref.leaves[m]!,
            proof,
            root: ref.root(n),
          }),
        ).toBe(true);
      }
    }
  });

  it('plans every consistency proof for 1 <= m <= n <= 70 exactly as PROOF(m, D[n])', () => {
    for (let n = 1; n <= 70; n++) {
      for (let m = 1; m <= n; m++) {
        const proof = consistencyRanges(BigInt(m), BigInt(n)).map((r) => rangeHash(ref, r));
        expect(toHexAll(proof)).toEqual(toHexAll(ref.consistency(m, n)));
        expect(
          verifyConsistency({ size1: m, size2: n, root1: ref.root(m), root2: ref.root(n), proof }),
        ).toBe(true);
      }
    }
  });

  describe('when the request is out of range', () => {
    it('refuses leaf >= size and sizes outside 1 <= m <= n', () => {
      expect(() => inclusionRanges(3n, 3n)).toThrow(RangeError);
      expect(() => consistencyRanges(0n, 3n)).toThrow(RangeError);
      expect(() => consistencyRanges(4n, 3n)).toThrow(RangeError);
    });
  });
});
