import { sign, type KeyObject } from 'node:crypto';
import { TongbanError } from '../../errors';
import { encodeBase64 } from './base64';
import { rawEd25519PublicKey } from './ed25519';
import { keyIdOf } from './key-id';
import { isCleanNoteText, isValidKeyName } from './key-name';

export interface NoteSigner {
  /** Key name written on the signature line (for checkpoints, normally the log origin). */
  name: string;
  /** Ed25519 private key. */
  privateKey: KeyObject;
}

/**
 * Signs `text` (which must end in a newline) with one or more Ed25519 keys and returns the
 * signed note: text, blank line, one `— <name> base64(keyID || sig)` line per key
 * (C2SP signed-note "Signatures", "Ed25519 signatures").
 */
export function signNote(text: string, signers: NoteSigner | readonly NoteSigner[]): string {
  if (!text.endsWith('\n') || !isCleanNoteText(text)) {
    throw new TongbanError(
      'invalid_parameter',
      'note text must end in a newline and contain no control characters',
    );
  }
  const list = Array.isArray(signers) ? signers : [signers as NoteSigner];
  if (list.length === 0)
    throw new TongbanError('invalid_parameter', 'a note needs at least one signer');
  const lines = list.map(({ name, privateKey }) => {
    if (!isValidKeyName(name))
      throw new TongbanError('invalid_parameter', `invalid note key name: ${JSON.stringify(name)}`);
    const keyId = keyIdOf(name, rawEd25519PublicKey(privateKey));
    const sig = sign(null, Buffer.from(text, 'utf8'), privateKey);
    return `\u2014 ${name} ${encodeBase64(Uint8Array.of(...keyId, ...sig))}\n`;
  });
  return `${text}\n${lines.join('')}`;
}
