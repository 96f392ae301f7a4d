import { TongbanError } from '../../errors';
import { bytesEqual } from '../merkle/bytes';
import { emptyRoot } from '../merkle/hash';
import { verifyConsistency } from '../merkle/verify-consistency';
import { parseNote } from '../note/parse-note';
import { parseCheckpoint } from '../note/parse-checkpoint';
import type { TreeHead } from '../store/tree-head';
import type { StoredCheckpoint } from './stored-checkpoint';

const refuse = (why: string): TongbanError =>
  new TongbanError('ledger_inconsistent', `refusing to sign a checkpoint: ${why}`);

/** Pure: the stored row must say what its signed note says. */
export function checkRowMatchesNote(last: StoredCheckpoint): void {
  const cp = parseCheckpoint(parseNote(last.note).text);
  if (cp.size !== last.size || !bytesEqual(cp.root, last.root))
    throw refuse(`checkpoint row ${last.size} differs from its note`);
}

/**
 * Pure: may `head` be signed after `last`? c2sp.org/tlog-checkpoint "Signatures": a log MUST
 * NOT sign a checkpoint inconsistent with one it signed before. Returns 'same' when the head
 * is exactly the last checkpoint (nothing new to sign).
 */
export function checkExtends(
  last: StoredCheckpoint,
  head: TreeHead,
  proof: readonly Uint8Array[],
): 'same' | 'extends' {
  if (head.size < last.size)
    throw refuse(`tree size ${head.size} is below the signed size ${last.size}`);
  if (head.size === last.size) {
    if (!bytesEqual(head.root, last.root))
      throw refuse(`a different root was already signed for size ${head.size}`);
    return 'same';
  }
  // The empty tree is a prefix of every tree; RFC 9162 proofs start at size 1.
  const ok =
    last.size === 0
      ? bytesEqual(last.root, emptyRoot())
      : verifyConsistency({
          size1: last.size,
          size2: head.size,
          root1: last.root,
          root2: head.root,
          proof,
        });
  if (!ok)
    throw refuse(
      `tree at size ${head.size} is not consistent with the checkpoint at size ${last.size}`,
    );
  return 'extends';
}
