import { createHash } from 'node:crypto';

/** SHA-256 output size; every tree hash is this long. */
export const HASH_SIZE = 32;

// RFC 6962 §2.1 / RFC 9162 §2.1.1: one-byte domain separation between leaves and interior
// nodes, so a leaf can never be passed off as a node (second-preimage resistance).
const LEAF_PREFIX = Uint8Array.of(0x00);
const NODE_PREFIX = Uint8Array.of(0x01);

/** MTH({d(0)}) = SHA-256(0x00 || d(0)). */
export function hashLeaf(data: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sha256').update(LEAF_PREFIX).update(data).digest());
}

/** SHA-256(0x01 || left || right). */
export function hashChildren(left: Uint8Array, right: Uint8Array): Uint8Array {
  return new Uint8Array(
    createHash('sha256').update(NODE_PREFIX).update(left).update(right).digest(),
  );
}

/** MTH({}) = SHA-256(""): the root of the empty tree. */
export function emptyRoot(): Uint8Array {
  return new Uint8Array(createHash('sha256').digest());
}
