import type { CityKey, Ed25519PublicJwk } from './types';

/**
 * The JWK set (RFC 7517 §5) served at `/.well-known/jwks.json`: public members only, one entry
 * per kid. Pass current and retired keys during a rotation so peers can verify both.
 */
export function publicJwks(keys: Iterable<CityKey | Ed25519PublicJwk>): {
  keys: Ed25519PublicJwk[];
} {
  const byKid = new Map<string, Ed25519PublicJwk>();
  for (const key of keys) {
    const jwk = 'publicJwk' in key ? key.publicJwk : key;
    // Rebuilt member by member so a private `d` can never leak into the set.
    byKid.set(jwk.kid, {
      kty: 'OKP',
      crv: 'Ed25519',
      x: jwk.x,
      kid: jwk.kid,
      alg: 'EdDSA',
      use: 'sig',
    });
  }
  return { keys: [...byKid.values()] };
}
