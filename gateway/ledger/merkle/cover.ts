import { hashChildren } from './hash';
import type { LeafRange } from './ranges';

/** A perfect subtree: 2^level leaves starting at leaf index * 2^level. Level 0 is a leaf. */
export interface NodeId {
  level: number;
  index: bigint;
}

/** The leaf range a perfect subtree covers. */
export function nodeRange(id: NodeId): LeafRange {
  const width = 1n << BigInt(id.level);
  return [id.index * width, (id.index + 1n) * width];
}

/**
 * Splits [start, end) into maximal aligned perfect subtrees, left to right. Every range that
 * RFC 6962's recursion produces starts at a multiple of a power of two at least as large as
 * its width, so the pieces come out strictly decreasing in size (one per set bit of the width)
 * and at most ~log2(n) of them are needed.
 */
export function perfectCover([start, end]: LeafRange): NodeId[] {
  const out: NodeId[] = [];
  let at = start;
  while (at < end) {
    let level = 0;
    while ((at & ((1n << BigInt(level + 1)) - 1n)) === 0n && at + (1n << BigInt(level + 1)) <= end)
      level++;
    out.push({ level, index: at >> BigInt(level) });
    at += 1n << BigInt(level);
  }
  return out;
}

/**
 * The RFC 6962 hash of a range from the hashes of its perfect cover (left to right): the
 * recursion splits off the largest left subtree first, so fold from the right.
 */
export function foldCover(hashes: readonly Uint8Array[]): Uint8Array {
  const last = hashes[hashes.length - 1];
  if (!last) throw new RangeError('cannot fold an empty cover');
  let acc = last;
  for (let i = hashes.length - 2; i >= 0; i--) acc = hashChildren(hashes[i] as Uint8Array, acc);
  return acc;
}

export function nodeKey(id: NodeId): string {
  return `${id.level}/${id.index}`;
}
