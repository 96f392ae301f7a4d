/**
 * Tree arithmetic on bigint: tree sizes and indices are uint64 in RFC 9162, and JavaScript's
 * bitwise operators on numbers truncate to 32 bits.
 */

/** The largest power of two strictly less than n (n > 1): the RFC 9162 §2.1.1 split point k. */
export function splitPoint(n: bigint): bigint {
  if (n < 2n) throw new RangeError(`no split point for a tree of size ${n}`);
  let k = 1n;
  while (k << 1n < n) k <<= 1n;
  return k;
}

export function isPowerOfTwo(n: bigint): boolean {
  return n > 0n && (n & (n - 1n)) === 0n;
}

/** Number of set bits: the count of perfect subtrees in a tree of n leaves. */
export function popCount(n: bigint): number {
  let c = 0;
  for (; n > 0n; n >>= 1n) if (n & 1n) c++;
  return c;
}
