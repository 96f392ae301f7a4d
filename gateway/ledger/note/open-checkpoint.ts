import { TongbanError } from '../../errors';
import type { Checkpoint } from './checkpoint';
import { parseCheckpoint } from './parse-checkpoint';
import { verifyNote } from './verify-note';

/**
 * Verify, then parse: the only way a received checkpoint should be read. The origin must be
 * the expected one, so a key shared by two logs cannot pass one log's head off as the other's.
 */
export function openCheckpoint(
  note: string,
  vkeys: string | readonly string[],
  origin?: string,
): Checkpoint {
  const { text } = verifyNote(note, vkeys);
  const cp = parseCheckpoint(text);
  if (origin !== undefined && cp.origin !== origin) {
    throw new TongbanError(
      'bad_signature',
      `checkpoint origin ${JSON.stringify(cp.origin)} is not ${JSON.stringify(origin)}`,
    );
  }
  return cp;
}
