import { createHash } from 'node:crypto';
import { canonicalJson } from '../canonical';

/**
 * RFC 7638 JWK thumbprint of an OKP key, base64url SHA-256.
 * The required members for OKP are `crv`, `kty`, `x` (RFC 8037 §2), serialized in
 * lexicographic order without whitespace (RFC 7638 §3.2), which is their RFC 8785 form.
 */
export function jwkThumbprint(jwk: { crv: string; kty: string; x: string }): string {
  const input = canonicalJson({ crv: jwk.crv, kty: jwk.kty, x: jwk.x });
  return createHash('sha256').update(input).digest('base64url');
}
