import type { KeyObject } from 'node:crypto';

/** Public Ed25519 JWK as published in `/.well-known/jwks.json` (RFC 8037 §2, RFC 7517 §4). */
export interface Ed25519PublicJwk {
  kty: 'OKP';
  crv: 'Ed25519';
  x: string;
  /** RFC 7638 JWK thumbprint (base64url SHA-256). */
  kid: string;
  alg: 'EdDSA';
  use: 'sig';
}

/** Private Ed25519 JWK: the public members plus the private seed `d` (RFC 8037 §2). */
export interface Ed25519PrivateJwk extends Ed25519PublicJwk {
  d: string;
}

/** A city's signing key, ready to use. */
export interface CityKey {
  kid: string;
  privateKey: KeyObject;
  publicJwk: Ed25519PublicJwk;
}

/** A new key: the key to use now, and its private JWK to keep (mode 0600). */
export interface GeneratedCityKey {
  cityKey: CityKey;
  privateJwk: Ed25519PrivateJwk;
  publicJwk: Ed25519PublicJwk;
}
