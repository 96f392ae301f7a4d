import { createPublicKey, type KeyObject } from 'node:crypto';
import { TongbanError } from '../../errors';

/** The 32-byte RFC 8032 encoding of an Ed25519 public key (from a public or private KeyObject). */
export function rawEd25519PublicKey(key: KeyObject): Uint8Array {
  const pub = key.type === 'private' ? createPublicKey(key) : key;
  if (pub.asymmetricKeyType !== 'ed25519') {
    throw new TongbanError(
      'config_invalid',
      `ledger keys must be Ed25519, got ${pub.asymmetricKeyType ?? key.type}`,
    );
  }
  const { x } = pub.export({ format: 'jwk' });
  return new Uint8Array(Buffer.from(x as string, 'base64url'));
}

/** A public KeyObject from the 32-byte RFC 8032 encoding. */
export function ed25519PublicKeyFromRaw(raw: Uint8Array): KeyObject {
  return createPublicKey({
    key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(raw).toString('base64url') },
    format: 'jwk',
  });
}
