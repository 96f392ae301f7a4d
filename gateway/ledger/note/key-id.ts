import { createHash } from 'node:crypto';

/** C2SP signed-note signature type byte for Ed25519. */
export const ED25519_SIG_TYPE = 0x01;

/** key ID = SHA-256(key name || 0x0A || 0x01 || 32-byte public key)[:4] (C2SP signed-note). */
export function keyIdOf(name: string, rawPublicKey: Uint8Array): Uint8Array {
  const h = createHash('sha256')
    .update(Buffer.from(name, 'utf8'))
    .update(Uint8Array.of(0x0a, ED25519_SIG_TYPE))
    .update(rawPublicKey)
    .digest();
  return new Uint8Array(h.subarray(0, 4));
}
