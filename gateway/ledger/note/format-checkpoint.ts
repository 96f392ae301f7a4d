import { TongbanError } from '../../errors';
import { HASH_SIZE } from '../merkle/hash';
import { encodeBase64 } from './base64';
import type { Checkpoint } from './checkpoint';
import { isCleanNoteText } from './key-name';

/**
 * The checkpoint note text: origin, decimal size, base64 root, then any extension lines, each
 * newline-terminated (c2sp.org/tlog-checkpoint "Note text").
 */
export function formatCheckpoint(
  c: Pick<Checkpoint, 'origin' | 'size' | 'root'> & { extensions?: readonly string[] },
): string {
  const lines = [c.origin, String(c.size), encodeBase64(c.root), ...(c.extensions ?? [])];
  const bad = lines.some((l) => l === '' || l.includes('\n') || !isCleanNoteText(l));
  if (bad || !Number.isSafeInteger(c.size) || c.size < 0 || c.root.length !== HASH_SIZE) {
    throw new TongbanError(
      'invalid_parameter',
      'checkpoint needs a non-empty origin, a size >= 0, a 32-byte root and non-empty lines',
    );
  }
  return lines.map((l) => `${l}\n`).join('');
}
