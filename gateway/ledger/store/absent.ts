import { TongbanError } from '../../errors';
import type { Queryable } from '../../store';
import { readFrontier } from './head';
import { rangeError } from './params';

/**
 * Explains why stored subtrees were missing: either the caller asked beyond the tree (their
 * mistake), or rows the head promises are gone (ours: the store was tampered with).
 */
export async function absentNodesError(
  q: Queryable,
  name: string,
  size: number,
): Promise<TongbanError> {
  const head = await readFrontier(q);
  if (BigInt(size) > head.size)
    return rangeError(name, `${name} ${size} exceeds the tree size ${head.size}`);
  return new TongbanError(
    'ledger_inconsistent',
    `stored subtree hashes for size ${size} are missing`,
  );
}
