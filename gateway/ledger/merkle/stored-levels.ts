import { hashChildren } from './hash';
import type { NodeId } from './cover';

/**
 * The lowest level of interior node kept in `ledger_nodes`. Subtrees of fewer than 2^4 = 16
 * leaves are not stored: a proof that needs one reads its (at most 8) leaf hashes from
 * `ledger_entries` instead and hashes them. Storing every level cost about one node row per
 * entry; from level 4 up it is one per eight entries. Ledgers written before keep their
 * lower-level rows; they are no longer read for proofs, and still checked by verification.
 */
export const LOWEST_STORED_LEVEL = 4;

/** Whether subtrees of this level are stored (level 0, the leaves, live in ledger_entries). */
export const isStoredLevel = (level: number): boolean => level >= LOWEST_STORED_LEVEL;

/** The leaves (level 0) of a perfect subtree, left to right. */
export function leavesOf(id: NodeId): NodeId[] {
  const width = 1n << BigInt(id.level);
  const first = id.index * width;
  return Array.from({ length: Number(width) }, (_, k) => ({ level: 0, index: first + BigInt(k) }));
}

/** The hash of a perfect subtree from its leaf hashes (a power of two of them, left to right). */
export function perfectHash(leafHashes: readonly Uint8Array[]): Uint8Array {
  let level = leafHashes.slice();
  if (level.length === 0) throw new RangeError('no leaves');
  while (level.length > 1) {
    const next: Uint8Array[] = [];
    for (let i = 0; i < level.length; i += 2)
      next.push(hashChildren(level[i] as Uint8Array, level[i + 1] as Uint8Array));
    level = next;
  }
  return level[0] as Uint8Array;
}
