import { verify } from 'node:crypto';
import { TongbanError } from '../../errors';
import { bytesEqual } from '../merkle/bytes';
import { parseNote } from './parse-note';
import { parseVkey, type NoteVerifier } from './vkey';

export interface VerifiedNote {
  /** The signed text: trust it only because this function returned. */
  text: string;
  /** Names of the known keys whose signatures verified. */
  signers: string[];
}

/**
 * Verifies a signed note against trusted verifier keys (C2SP signed-note "Signatures"):
 * signatures from unknown keys are ignored (so cosignatures and rotations pass through), a
 * known key's bad signature rejects the whole note, and at least one known key must sign.
 */
export function verifyNote(note: string, vkeys: string | readonly string[]): VerifiedNote {
  const verifiers = (typeof vkeys === 'string' ? [vkeys] : vkeys).map(parseVkey);
  const { text, signatures } = parseNote(note);
  const message = Buffer.from(text, 'utf8');
  const signers = new Set<string>();
  for (const s of signatures) {
    // Both the name and the key ID must match: either alone may collide by design.
    const v: NoteVerifier | undefined = verifiers.find(
      (k) => k.name === s.name && bytesEqual(k.keyId, s.keyId),
    );
    if (!v) continue;
    if (s.signature.length !== 64 || !verify(null, message, v.publicKey, s.signature)) {
      throw new TongbanError('bad_signature', `signed note: invalid signature by ${v.name}`);
    }
    signers.add(v.name);
  }
  if (signers.size === 0)
    throw new TongbanError('unknown_key', 'signed note: no signature from a known key');
  return { text, signers: [...signers] };
}
