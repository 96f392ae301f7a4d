import type { Queryable } from '../../store';
import { inclusionRanges } from '../merkle/ranges';
import { absentNodesError } from './absent';
import { checkCount, rangeError } from './params';
import { fetchRangeHashes } from './subtrees';

export interface InclusionProof {
  index: number;
  size: number;
  /** Audit path, nearest the leaf first (RFC 9162 §2.1.3.1). */
  hashes: Uint8Array[];
}

/** Proof that leaf `index` is in the tree of `size` leaves: one database read. */
export async function inclusionProof(
  q: Queryable,
  index: number,
  size: number,
): Promise<InclusionProof> {
  checkCount('index', index);
  checkCount('size', size);
  if (index >= size) throw rangeError('index', `index ${index} is not below size ${size}`);
  const hashes = await fetchRangeHashes(
    q,
    inclusionRanges(BigInt(index), BigInt(size)),
    BigInt(size),
  );
  if (!hashes) throw await absentNodesError(q, 'size', size);
  return { index, size, hashes };
}
