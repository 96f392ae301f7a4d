import { describePrivateKey } from './describe-key';
import { importPrivateJwk } from './import-private';
import type { CityKey } from './types';

/** A ready-to-sign city key from its private JWK (validated by `importPrivateJwk`). */
export function cityKeyFromPrivateJwk(jwk: unknown): CityKey {
  return describePrivateKey(importPrivateJwk(jwk)).cityKey;
}
