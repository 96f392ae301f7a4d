import { hashChildren, hashLeaf, emptyRoot } from '../../../gateway/ledger/merkle/hash';
import {
  appendLeaf,
  EMPTY_FRONTIER,
  frontierRoot,
  type Frontier,
} from '../../../gateway/ledger/merkle/frontier';
import { hex, merkleVectors as v, toHexAll } from './helpers/vectors';
import { ReferenceTree } from './helpers/reference-tree';

describe(`RFC 6962 hashing (${v.hasher.source})`, () => {
  it('hashes a leaf with the 0x00 prefix', () => {
    expect(hashLeaf(Buffer.from('L123456'))).toEqual(hex(v.hasher['HashLeaf(L123456)']));
  });

  it('hashes two children with the 0x01 prefix', () => {
    expect(hashChildren(Buffer.from('N123'), Buffer.from('N456'))).toEqual(
      hex(v.hasher['HashChildren(N123,N456)']),
    );
  });
});

describe(`roots of the classic CT tree, sizes 0-8 (${v.source})`, () => {
  const leaves = v.leavesHex.map(hex);

  it('has the empty root SHA-256("") for size 0', () => {
    expect(frontierRoot(EMPTY_FRONTIER)).toEqual(hex(v.rootsBySize['0']));
    expect(emptyRoot()).toEqual(hex(v.rootsBySize['0']));
  });

  it.each(Object.entries(v.rootsBySize).filter(([n]) => n !== '0'))(
    'matches the root for size %s',
    (n, root) => {
      let f: Frontier = EMPTY_FRONTIER;
      for (const leaf of leaves.slice(0, Number(n))) f = appendLeaf(f, hashLeaf(leaf)).frontier;
      expect(frontierRoot(f)).toEqual(hex(root));
    },
  );
});

describe('the append frontier', () => {
  it('keeps one hash per set bit of the size and agrees with the reference root for sizes 1-70', () => {
    const ref = new ReferenceTree();
    let f: Frontier = EMPTY_FRONTIER;
    for (let i = 0; i < 70; i++) {
      const data = Buffer.from(`entry ${i}`);
      ref.append(data);
      f = appendLeaf(f, hashLeaf(data)).frontier;
      expect(f.hashes).toHaveLength((i + 1).toString(2).replace(/0/g, '').length);
      expect(toHexAll([frontierRoot(f)])).toEqual(toHexAll([ref.root()]));
    }
  });

  it('reports each completed perfect subtree once, about one per append', () => {
    let f: Frontier = EMPTY_FRONTIER;
    const seen = new Set<string>();
    for (let i = 0; i < 64; i++) {
      const r = appendLeaf(f, hashLeaf(Buffer.from([i])));
      for (const c of r.completed) seen.add(`${c.level}/${c.index}`);
      f = r.frontier;
    }
    // 32 + 16 + 8 + 4 + 2 + 1 interior nodes of a perfect 64-leaf tree.
    expect(seen.size).toBe(63);
    expect(seen.has('6/0')).toBe(true);
  });
});
