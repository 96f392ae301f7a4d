import { timingSafeEqual } from 'node:crypto';
import { TongbanError } from '../../errors';
import { canonicalJson, isCanonicalText } from '../canonical';
import type { ClaimedPayload } from './decode-payload';

/**
 * The signed payload must already be RFC 8785 canonical JSON: one byte string per envelope,
 * and no duplicate member names that two JSON parsers might read differently (RFC 8785 §3.1).
 * Honest senders' payloads pass the quick test (`isCanonicalText`); anything else is
 * canonicalised again and compared byte for byte, which also names what is wrong.
 */
export function checkCanonical({ bytes, text, json }: ClaimedPayload): void {
  if (isCanonicalText(text, json)) return;
  let canonical: Uint8Array;
  try {
    canonical = canonicalJson(json);
  } catch (cause) {
    throw new TongbanError(
      'signature_malformed',
      'JWS payload is not I-JSON (RFC 7493)',
      { pointer: '/payload' },
      { cause },
    );
  }
  if (canonical.byteLength !== bytes.byteLength || !timingSafeEqual(canonical, bytes)) {
    throw new TongbanError('signature_malformed', 'JWS payload is not RFC 8785 canonical JSON', {
      pointer: '/payload',
    });
  }
}
