import { TongbanError } from '../../errors';
import { decodeBase64 } from './base64';
import { isCleanNoteText, isValidKeyName } from './key-name';

export interface NoteSignature {
  name: string;
  keyId: Uint8Array;
  /** The algorithm's signature bytes, without the 4-byte key ID. */
  signature: Uint8Array;
}

export interface ParsedNote {
  /** The signed text, including its final newline. */
  text: string;
  signatures: NoteSignature[];
}

/** Bounds on untrusted input; C2SP signed-note requires accepting at least 16 signatures. */
export const MAX_NOTE_LENGTH = 1_000_000;
export const MAX_SIGNATURES = 100;
const SIG_PREFIX = '\u2014 '; // em dash, space

const malformed = (why: string): TongbanError =>
  new TongbanError('signature_malformed', `malformed signed note: ${why}`);

/**
 * Splits a signed note into its text and signature lines (C2SP signed-note "Format") without
 * verifying anything. Every rule of the format is checked here, so later steps see only
 * well-formed notes.
 */
export function parseNote(note: string): ParsedNote {
  if (note.length > MAX_NOTE_LENGTH) throw malformed('too long');
  if (!isCleanNoteText(note)) throw malformed('control characters or invalid UTF-8');
  // The text may contain blank lines; the signatures start after the LAST blank line.
  const split = note.lastIndexOf('\n\n');
  if (split < 0) throw malformed('no blank line before the signatures');
  const text = note.slice(0, split + 1);
  const block = note.slice(split + 2);
  if (block === '' || !block.endsWith('\n'))
    throw malformed('signature block missing or not newline-terminated');
  const lines = block.slice(0, -1).split('\n');
  if (lines.length > MAX_SIGNATURES) throw malformed('too many signatures');
  return { text, signatures: lines.map(parseSignatureLine) };
}

function parseSignatureLine(line: string): NoteSignature {
  if (!line.startsWith(SIG_PREFIX))
    throw malformed('signature line does not start with an em dash and space');
  const rest = line.slice(SIG_PREFIX.length);
  const space = rest.indexOf(' ');
  if (space < 0) throw malformed('signature line has no signature');
  const name = rest.slice(0, space);
  const sig = decodeBase64(rest.slice(space + 1));
  if (!isValidKeyName(name)) throw malformed('invalid key name');
  if (!sig || sig.length < 5) throw malformed('signature is not base64 of key ID and signature');
  return { name, keyId: sig.slice(0, 4), signature: sig.slice(4) };
}
