import { generateKeyPairSync } from 'node:crypto';
import { describePrivateKey } from './describe-key';
import type { GeneratedCityKey } from './types';

/** A fresh Ed25519 signing key for a city; `kid` is its RFC 7638 thumbprint. */
export function generateCityKey(): GeneratedCityKey {
  const { privateKey } = generateKeyPairSync('ed25519');
  return describePrivateKey(privateKey);
}
