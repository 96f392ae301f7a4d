/** JWS algorithm: EdDSA over Ed25519 (RFC 8037 §3.1). The only one Tongban signs or accepts. */
export const JWS_ALG = 'EdDSA';

/** Explicit JWS type (RFC 7515 §4.1.9, RFC 8725 §3.11), so no other JWS passes as an envelope. */
export const JWS_TYP = 'tongban+jws';

/** Media type of a flattened JWS JSON body (RFC 7515 §9.2.1). */
export const JOSE_JSON_CONTENT_TYPE = 'application/jose+json';

/** HTTP header carrying the compact JWS of a GET request's envelope. */
export const SIGNATURE_HEADER = 'Tongban-Signature';

/** Default allowed clock difference for `issuedAt`, in seconds (±5 minutes). */
export const DEFAULT_MAX_SKEW_SECONDS = 300;
