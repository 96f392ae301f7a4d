import { bytesEqual, toHex } from '../merkle/bytes';
import type { Checkpoint } from '../note/checkpoint';
import { openCheckpoint } from '../note/open-checkpoint';
import type { StoredCheckpoint } from '../checkpoint/stored-checkpoint';
import type { Problem } from './problem';

/** The note must verify under our key, and say what its row says. */
export function checkCheckpointNote(
  cp: StoredCheckpoint,
  vkeys: readonly string[],
): Problem | undefined {
  let signed: Checkpoint;
  try {
    signed = openCheckpoint(cp.note, vkeys);
  } catch (e) {
    return {
      index: cp.size,
      kind: 'bad_checkpoint_signature',
      detail: e instanceof Error ? e.message : String(e),
    };
  }
  if (signed.size === cp.size && bytesEqual(signed.root, cp.root)) return undefined;
  return {
    index: cp.size,
    kind: 'checkpoint_mismatch',
    detail: `row (size ${cp.size}) differs from its signed note (size ${signed.size})`,
  };
}

/** The recomputed root at the checkpoint's size must be the signed one. */
export function checkCheckpointRoot(
  cp: StoredCheckpoint,
  recomputed: Uint8Array,
): Problem | undefined {
  if (bytesEqual(cp.root, recomputed)) return undefined;
  return {
    index: cp.size,
    kind: 'checkpoint_mismatch',
    detail: `recomputed root ${toHex(recomputed)} at size ${cp.size} is not the signed one`,
  };
}
