import { TongbanError } from '../../errors';
import { pointerToken } from '../encoding';
import type { FlattenedJws } from '../types';
import { readJsonObject } from './read-json';

const BASE64URL = /^[A-Za-z0-9_-]*$/;
const MEMBERS = ['protected', 'payload', 'signature'] as const;

/**
 * The bytes are a flattened JWS JSON serialization (RFC 7515 §7.2.2) with exactly the members
 * protected, payload and signature. An unprotected `header` is refused: every header parameter
 * Tongban relies on must be covered by the signature.
 */
export function parseFlattened(bytes: Uint8Array): FlattenedJws {
  const jws = readJsonObject(bytes, 'Signed message', '');
  for (const name of Object.keys(jws)) {
    if (!(MEMBERS as readonly string[]).includes(name)) {
      const why = name === 'header' ? 'an unprotected header is not accepted' : 'unknown member';
      throw new TongbanError(
        'signature_malformed',
        `Flattened JWS member "${name}": ${why} (RFC 7515 §7.2.2)`,
        {
          pointer: `/${pointerToken(name)}`,
        },
      );
    }
  }
  for (const name of MEMBERS) {
    const value = jws[name];
    // Only `protected` must be non-empty here. An empty signature is left to the alg and
    // signature checks, so `alg: none` (RFC 7515 §A.5) is reported as algorithm_not_allowed.
    if (
      typeof value !== 'string' ||
      !BASE64URL.test(value) ||
      (name === 'protected' && value === '')
    ) {
      throw new TongbanError(
        'signature_malformed',
        `Flattened JWS "${name}" must be a base64url string`,
        {
          pointer: `/${name}`,
        },
      );
    }
  }
  return {
    protected: jws.protected as string,
    payload: jws.payload as string,
    signature: jws.signature as string,
  };
}
