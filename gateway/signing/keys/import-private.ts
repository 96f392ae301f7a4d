import { createPrivateKey, type KeyObject } from 'node:crypto';
import { TongbanError } from '../../errors';
import { publicJwkOf } from './describe-key';
import { readOkpJwk } from './read-okp-jwk';

/**
 * Node key object for a private Ed25519 JWK (RFC 8037 §2), validated first. The public `x` must
 * belong to `d`: otherwise we would sign with one key while publishing another.
 */
export function importPrivateJwk(jwk: unknown): KeyObject {
  const { x, d } = readOkpJwk(jwk, 'private');
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: { kty: 'OKP', crv: 'Ed25519', x, d }, format: 'jwk' });
  } catch (cause) {
    throw new TongbanError(
      'config_invalid',
      'Private JWK is not a usable Ed25519 key',
      { pointer: '/d' },
      { cause },
    );
  }
  if (publicJwkOf(key).x !== x) {
    throw new TongbanError('config_invalid', 'Private JWK: "x" is not the public key of "d"', {
      pointer: '/x',
    });
  }
  return key;
}
