import { verifyConsistency } from '../../../gateway/ledger/merkle/verify-consistency';
import { verifyInclusion } from '../../../gateway/ledger/merkle/verify-inclusion';
import { hex, merkleVectors as v } from './helpers/vectors';

describe(`inclusion proofs (${v.source})`, () => {
  it.each(v.inclusion)('verifies leaf $leafIdx in a tree of size $treeSize', (c) => {
    const ok = verifyInclusion({
      index: c.leafIdx,
      size: c.treeSize,
      leafHash: hex(c.leafHash),
      proof: c.proof.map(hex),
      root: hex(c.root),
    });
    expect(ok).toBe(true);
  });

  describe('when the proof must be rejected', () => {
    it.each(v.inclusionMustFail)('rejects: $why', (c) => {
      const ok = verifyInclusion({
        index: c.leafIdx,
        size: c.treeSize,
        leafHash: hex(c.leafHash),
        proof: c.proof.map(hex),
        root: hex(c.root),
      });
      expect(ok).toBe(false);
    });

    it('rejects an index outside the tree and an over-long proof', () => {
      const c = v.inclusion[1]!;
      const base = { leafHash: hex(c.leafHash), proof: c.proof.map(hex), root: hex(c.root) };
      expect(verifyInclusion({ ...base, index: 8, size: 8 })).toBe(false);
      expect(verifyInclusion({ ...base, index: -1, size: 8 })).toBe(false);
      expect(
        verifyInclusion({ ...base, index: 0, size: 8, proof: [...base.proof, hex(c.root)] }),
      ).toBe(false);
    });
  });
});

describe(`consistency proofs (${v.source})`, () => {
  it.each(v.consistency)('verifies size $size1 -> $size2', (c) => {
    const ok = verifyConsistency({
      size1: c.size1,
      size2: c.size2,
      root1: hex(c.root1),
      root2: hex(c.root2),
      proof: c.proof.map(hex),
    });
    expect(ok).toBe(true);
  });

  describe('when the proof must be rejected', () => {
    it.each(v.consistencyMustFail)('rejects: $why', (c) => {
      const ok = verifyConsistency({
        size1: c.size1,
        size2: c.size2,
        root1: hex(c.root1),
        root2: hex(c.root2),
        proof: c.proof.map(hex),
      });
      expect(ok).toBe(false);
    });

    it('rejects a proof with an extra trailing hash', () => {
      const c = v.consistency[3]!;
      const proof = [...c.proof.map(hex), hex(c.root2)];
      expect(
        verifyConsistency({
          size1: c.size1,
          size2: c.size2,
          root1: hex(c.root1),
          root2: hex(c.root2),
          proof,
        }),
      ).toBe(false);
    });
  });
});
