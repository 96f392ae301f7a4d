import type { Queryable } from '../../store';
import { emptyRoot } from '../merkle/hash';
import { absentNodesError } from './absent';
import { checkCount } from './params';
import { fetchRangeHashes } from './subtrees';

/** The root of the tree as it was at `size` leaves (any size up to the current one). */
export async function rootAt(q: Queryable, size: number): Promise<Uint8Array> {
  checkCount('size', size);
  if (size === 0) return emptyRoot();
  const [root] = (await fetchRangeHashes(q, [[0n, BigInt(size)]], BigInt(size))) ?? [];
  if (!root) throw await absentNodesError(q, 'size', size);
  return root;
}
