import { TongbanError } from '../../errors';
import { utf8Encode } from '../encoding';
import type { SignedJws } from '../types';

const PART = /^[A-Za-z0-9_-]*$/;

/**
 * Rewrite a compact JWS (RFC 7515 §7.1) as the flattened JSON serialization (§7.2.2) without
 * decoding anything: the three parts are carried over character for character, so the
 * signature still covers the same signing input and the conversion is lossless.
 */
export function compactToFlattened(compact: string): SignedJws {
  const parts = compact.split('.');
  const [protectedB64, payload, signature] = parts;
  if (
    parts.length !== 3 ||
    protectedB64 === undefined ||
    payload === undefined ||
    signature === undefined
  ) {
    throw new TongbanError(
      'signature_malformed',
      `A compact JWS has 3 parts separated by '.', got ${parts.length} (RFC 7515 §7.1)`,
    );
  }
  parts.forEach((part, i) => {
    if (!PART.test(part)) {
      const name = ['protected', 'payload', 'signature'][i] ?? '?';
      throw new TongbanError('signature_malformed', `Compact JWS ${name} part is not base64url`, {
        pointer: `/${name}`,
      });
    }
  });
  const text = JSON.stringify({ protected: protectedB64, payload, signature });
  return { bytes: utf8Encode(text), text };
}
