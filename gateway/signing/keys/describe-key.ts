import { createPublicKey, type KeyObject } from 'node:crypto';
import { TongbanError } from '../../errors';
import { jwkThumbprint } from './thumbprint';
import type { Ed25519PrivateJwk, Ed25519PublicJwk, GeneratedCityKey } from './types';

/** The public JWK of an Ed25519 key (private or public), with its thumbprint as `kid`. */
export function publicJwkOf(key: KeyObject): Ed25519PublicJwk {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  if (publicKey.asymmetricKeyType !== 'ed25519') {
    throw new TongbanError(
      'config_invalid',
      `Expected an Ed25519 key, got ${publicKey.asymmetricKeyType ?? publicKey.type}`,
    );
  }
  const { x } = publicKey.export({ format: 'jwk' });
  if (typeof x !== 'string') throw new TongbanError('internal', 'Ed25519 key exported without x');
  return {
    kty: 'OKP',
    crv: 'Ed25519',
    x,
    kid: jwkThumbprint({ crv: 'Ed25519', kty: 'OKP', x }),
    alg: 'EdDSA',
    use: 'sig',
  };
}

/** Everything about a private Ed25519 key object: city key, private JWK and public JWK. */
export function describePrivateKey(privateKey: KeyObject): GeneratedCityKey {
  const publicJwk = publicJwkOf(privateKey);
  const { d } = privateKey.export({ format: 'jwk' });
  if (typeof d !== 'string') throw new TongbanError('internal', 'Ed25519 key exported without d');
  const privateJwk: Ed25519PrivateJwk = { ...publicJwk, d };
  return { cityKey: { kid: publicJwk.kid, privateKey, publicJwk }, privateJwk, publicJwk };
}
