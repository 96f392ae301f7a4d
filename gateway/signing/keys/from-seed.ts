import { createPrivateKey } from 'node:crypto';
import { TongbanError } from '../../errors';
import { describePrivateKey } from './describe-key';
import type { GeneratedCityKey } from './types';

// PKCS #8 PrivateKeyInfo for Ed25519 (RFC 8410 §7) up to the 32-byte seed:
// SEQUENCE { INTEGER 0, SEQUENCE { OID 1.3.101.112 }, OCTET STRING { OCTET STRING (32) } }.
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

/**
 * The Ed25519 key whose private seed (RFC 8032 §5.1.5, JWK `d`) is `seed`. Deterministic:
 * for documented examples and test fixtures only, never for a real city key.
 */
export function cityKeyFromSeed(seed: Uint8Array): GeneratedCityKey {
  if (seed.byteLength !== 32) {
    throw new TongbanError('internal', `An Ed25519 seed is 32 bytes, got ${seed.byteLength}`);
  }
  const der = Buffer.concat([PKCS8_ED25519_PREFIX, seed]);
  return describePrivateKey(createPrivateKey({ key: der, format: 'der', type: 'pkcs8' }));
}
