import { utf8Encode } from '../encoding';
import type { CityKey } from '../keys/types';
import type { Envelope, SignedJws } from '../types';
import { jwsParts } from './jws-parts';

/**
 * Sign an envelope as a flattened JWS JSON serialization (RFC 7515 §7.2.2), members in the
 * order protected, payload, signature, no whitespace. Send, store and hash these exact bytes
 * (`application/jose+json`).
 */
export function signEnvelope(env: Envelope, key: CityKey): SignedJws {
  const parts = jwsParts(env, key);
  const text = JSON.stringify({
    protected: parts.protected,
    payload: parts.payload,
    signature: parts.signature,
  });
  return { bytes: utf8Encode(text), text };
}
