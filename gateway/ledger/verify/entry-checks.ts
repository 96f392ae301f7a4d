import { bytesEqual, toHex } from '../merkle/bytes';
import { nodeKey, nodeRange } from '../merkle/cover';
import type { CompletedNode } from '../merkle/frontier';
import { isStoredLevel } from '../merkle/stored-levels';
import type { Problem } from './problem';

export interface EntryRow {
  index: number;
  data: Uint8Array;
  leafHash: Uint8Array;
}

/** Entries are read in index order; the first index that is skipped is missing. */
export function checkSequence(expected: number, row: EntryRow): Problem | undefined {
  if (row.index === expected) return undefined;
  return {
    index: expected,
    kind: 'missing',
    detail: `entry ${expected} is absent (next stored entry is ${row.index})`,
  };
}

/** The stored bytes must hash to the stored leaf hash (RFC 9162 §2.1.1). */
export function checkLeaf(row: EntryRow, recomputed: Uint8Array): Problem | undefined {
  if (bytesEqual(recomputed, row.leafHash)) return undefined;
  return {
    index: row.index,
    kind: 'tampered',
    detail: `data hashes to ${toHex(recomputed)}, stored leaf hash is ${toHex(row.leafHash)}`,
  };
}

/**
 * Every complete subtree the replay produces must equal the stored one. A mismatch means the
 * leaf hashes were rewritten along with the data (or the node row was); the problem is
 * reported at the subtree's first leaf, the finest position the stored hashes can name.
 */
export function checkNodes(
  computed: readonly CompletedNode[],
  stored: ReadonlyMap<string, Uint8Array>,
): Problem | undefined {
  for (const node of computed) {
    const s = stored.get(nodeKey(node));
    if (s && bytesEqual(s, node.hash)) continue;
    // below the lowest stored level a row is optional (older ledgers have them): checked if there
    if (!s && !isStoredLevel(node.level)) continue;
    const [start, end] = nodeRange(node);
    const what = s ? 'differs from the recomputed one' : 'is missing';
    return {
      index: Number(start),
      kind: 'tampered',
      detail: `stored hash of entries [${start}, ${end}) ${what}`,
    };
  }
  return undefined;
}
