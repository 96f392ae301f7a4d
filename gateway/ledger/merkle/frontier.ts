import { foldCover, type NodeId } from './cover';
import { emptyRoot, hashChildren } from './hash';

/**
 * The append frontier (a compact range over [0, size)): the roots of the perfect subtrees
 * that make up the tree, largest (leftmost) first, one per set bit of size. With it an append
 * costs O(log n) hashing and no reads of the stored tree.
 */
export interface Frontier {
  size: bigint;
  hashes: Uint8Array[];
}

export interface CompletedNode extends NodeId {
  hash: Uint8Array;
}

export const EMPTY_FRONTIER: Frontier = { size: 0n, hashes: [] };

/**
 * Appends one leaf hash. Returns the new frontier and the perfect subtrees of level >= 1 that
 * this leaf completed (each trailing one-bit of the old size merges two equal subtrees), which
 * amortises to one new interior node per append.
 */
export function appendLeaf(
  f: Frontier,
  leafHash: Uint8Array,
): { frontier: Frontier; completed: CompletedNode[] } {
  const hashes = f.hashes.slice();
  const completed: CompletedNode[] = [];
  let carry = leafHash;
  let level = 0;
  let index = f.size;
  for (let s = f.size; (s & 1n) === 1n; s >>= 1n) {
    carry = hashChildren(hashes.pop() as Uint8Array, carry);
    level++;
    index >>= 1n;
    completed.push({ level, index, hash: carry });
  }
  hashes.push(carry);
  return { frontier: { size: f.size + 1n, hashes }, completed };
}

/** MTH of the whole tree the frontier describes (RFC 9162 §2.1.1). */
export function frontierRoot(f: Frontier): Uint8Array {
  return f.hashes.length === 0 ? emptyRoot() : foldCover(f.hashes);
}
