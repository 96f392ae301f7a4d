import { splitPoint } from './bits';

/** Leaves [start, end) of the tree whose hash, MTH(D[start:end]), is one proof element. */
export type LeafRange = readonly [start: bigint, end: bigint];

/**
 * The subtrees whose hashes form the inclusion proof for leaf m in a tree of n leaves, in proof
 * order (nearest the leaf first): RFC 9162 §2.1.3.1 PATH(m, D[n]), with subtrees named by their
 * leaf range instead of hashed, so the caller can fetch them all in one read.
 */
export function inclusionRanges(m: bigint, n: bigint): LeafRange[] {
  if (m < 0n || m >= n) throw new RangeError(`leaf ${m} is not in a tree of size ${n}`);
  return path(m, 0n, n);
}

function path(m: bigint, start: bigint, end: bigint): LeafRange[] {
  if (end - start === 1n) return [];
  const k = splitPoint(end - start);
  return m < start + k
    ? [...path(m, start, start + k), [start + k, end]]
    : [...path(m, start + k, end), [start, start + k]];
}

/**
 * The subtrees whose hashes form the consistency proof between sizes m and n (0 < m <= n):
 * RFC 9162 §2.1.4.1 PROOF(m, D[n]) = SUBPROOF(m, D[n], true); empty when m = n.
 */
export function consistencyRanges(m: bigint, n: bigint): LeafRange[] {
  if (m < 1n || m > n) throw new RangeError(`no consistency proof from size ${m} to ${n}`);
  return m === n ? [] : subproof(m, 0n, n, true);
}

function subproof(m: bigint, start: bigint, end: bigint, whole: boolean): LeafRange[] {
  const n = end - start;
  // m = n: the old tree is this very subtree; the verifier already knows its hash when it is
  // the whole old tree (whole = true), otherwise it must be given.
  if (m === n) return whole ? [] : [[start, end]];
  const k = splitPoint(n);
  return m <= k
    ? [...subproof(m, start, start + k, whole), [start + k, end]]
    : [...subproof(m - k, start + k, end, false), [start, start + k]];
}
