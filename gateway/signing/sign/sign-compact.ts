import type { CityKey } from '../keys/types';
import type { Envelope } from '../types';
import { jwsParts } from './jws-parts';

/**
 * Sign an envelope as a JWS compact serialization (RFC 7515 §7.1), for the `Tongban-Signature`
 * header of GET requests. Same parts as `signEnvelope`, joined by '.'.
 */
export function signCompact(env: Envelope, key: CityKey): string {
  const parts = jwsParts(env, key);
  return `${parts.protected}.${parts.payload}.${parts.signature}`;
}
