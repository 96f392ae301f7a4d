import { isPowerOfTwo } from './bits';
import { bytesEqual } from './bytes';
import { hashChildren } from './hash';

export interface ConsistencyInput {
  size1: bigint | number;
  size2: bigint | number;
  root1: Uint8Array;
  root2: Uint8Array;
  proof: readonly Uint8Array[];
}

/**
 * RFC 9162 §2.1.4.2: check that the tree of size2 extends the tree of size1. Pure; any
 * malformed input is simply "not consistent".
 */
export function verifyConsistency(input: ConsistencyInput): boolean {
  const size1 = BigInt(input.size1);
  const size2 = BigInt(input.size2);
  // The empty tree is a prefix of everything, which proves nothing: refuse it outright
  // (as transparency-dev/merkle does) rather than accept an arbitrary root.
  if (size1 < 1n || size1 > size2) return false;
  if (size1 === size2) return input.proof.length === 0 && bytesEqual(input.root1, input.root2);

  // Step 2: when size1 is a power of two, the old root is itself a node of the new tree and
  // is not sent; start the walk from it.
  const path = isPowerOfTwo(size1) ? [input.root1, ...input.proof] : [...input.proof];
  const first = path[0];
  if (!first) return false;
  let fn = size1 - 1n;
  let sn = size2 - 1n;
  while ((fn & 1n) === 1n) [fn, sn] = [fn >> 1n, sn >> 1n];
  let fr = first;
  let sr = first;
  for (const c of path.slice(1)) {
    if (sn === 0n) return false;
    if ((fn & 1n) === 1n || fn === sn) {
      fr = hashChildren(c, fr);
      sr = hashChildren(c, sr);
      while ((fn & 1n) === 0n && fn !== 0n) [fn, sn] = [fn >> 1n, sn >> 1n];
    } else {
      sr = hashChildren(sr, c);
    }
    [fn, sn] = [fn >> 1n, sn >> 1n];
  }
  return sn === 0n && bytesEqual(fr, input.root1) && bytesEqual(sr, input.root2);
}
