import type { Queryable } from '../../store';
import { consistencyRanges } from '../merkle/ranges';
import { absentNodesError } from './absent';
import { checkCount, rangeError } from './params';
import { fetchRangeHashes } from './subtrees';

export interface ConsistencyProof {
  from: number;
  to: number;
  /** RFC 9162 §2.1.4.1 PROOF(from, D[to]); empty when from = to. */
  hashes: Uint8Array[];
}

/** Proof that the tree of `to` leaves extends the tree of `from` leaves: one database read. */
export async function consistencyProof(
  q: Queryable,
  from: number,
  to: number,
): Promise<ConsistencyProof> {
  checkCount('from', from);
  checkCount('to', to);
  // RFC 9162 §2.1.4 defines proofs for 0 < from <= to; the empty tree proves nothing.
  if (from < 1) throw rangeError('from', 'from must be at least 1');
  if (from > to) throw rangeError('from', `from ${from} exceeds to ${to}`);
  const hashes = await fetchRangeHashes(q, consistencyRanges(BigInt(from), BigInt(to)), BigInt(to));
  if (!hashes) throw await absentNodesError(q, 'to', to);
  return { from, to, hashes };
}
