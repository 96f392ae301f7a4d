import { bytesEqual } from './bytes';
import { hashChildren } from './hash';

export interface InclusionInput {
  index: bigint | number;
  size: bigint | number;
  leafHash: Uint8Array;
  proof: readonly Uint8Array[];
  root: Uint8Array;
}

/**
 * RFC 9162 §2.1.3.2: recompute the root from the leaf hash and its audit path. Pure; returns
 * false for any malformed input instead of throwing, so callers treat all failures alike.
 */
export function verifyInclusion(input: InclusionInput): boolean {
  const index = BigInt(input.index);
  const size = BigInt(input.size);
  if (index < 0n || index >= size) return false;
  let fn = index;
  let sn = size - 1n;
  let r = input.leafHash;
  for (const p of input.proof) {
    if (sn === 0n) return false; // proof longer than the path to the root
    if ((fn & 1n) === 1n || fn === sn) {
      r = hashChildren(p, r);
      // Skip the levels where this node is the right edge's lone left child (no sibling).
      while ((fn & 1n) === 0n && fn !== 0n) [fn, sn] = [fn >> 1n, sn >> 1n];
    } else {
      r = hashChildren(r, p);
    }
    [fn, sn] = [fn >> 1n, sn >> 1n];
  }
  return sn === 0n && bytesEqual(r, input.root);
}
