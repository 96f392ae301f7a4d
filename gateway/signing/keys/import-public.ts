import { createPublicKey, type KeyObject } from 'node:crypto';
import { TongbanError } from '../../errors';
import { readOkpJwk } from './read-okp-jwk';

/** Node key object for a peer city's public Ed25519 JWK (RFC 8037 §2), validated first. */
export function importPublicJwk(jwk: unknown): KeyObject {
  const { x } = readOkpJwk(jwk, 'public');
  try {
    return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x }, format: 'jwk' });
  } catch (cause) {
    throw new TongbanError(
      'config_invalid',
      'Public JWK is not a usable Ed25519 key',
      { pointer: '/x' },
      { cause },
    );
  }
}
