/**
 * Strict byte/text encodings for attacker-controlled input. Each decoder returns `undefined`
 * instead of guessing, so callers turn the failure into their own domain error.
 */

const BASE64URL = /^[A-Za-z0-9_-]*$/;

/** base64url without padding (RFC 7515 §2, RFC 4648 §5). */
export function base64urlEncode(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64url');
}

/**
 * Decode base64url, refusing padding, other alphabets, impossible lengths and non-canonical
 * encodings (non-zero trailing bits, RFC 4648 §3.5). Node's own decoder skips bad characters.
 */
export function base64urlDecode(text: string): Uint8Array | undefined {
  if (!BASE64URL.test(text) || text.length % 4 === 1) return undefined;
  const bytes = Buffer.from(text, 'base64url');
  if (bytes.toString('base64url') !== text) return undefined;
  return new Uint8Array(bytes);
}

/** One RFC 6901 reference token: `~` becomes `~0` and `/` becomes `~1` (RFC 6901 §3). */
export function pointerToken(name: string): string {
  return name.replace(/~/g, '~0').replace(/\//g, '~1');
}

const encoder = new TextEncoder();
// fatal: refuse ill-formed UTF-8; ignoreBOM: keep a BOM so the JSON parser refuses it (RFC 8259 §8.1).
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export function utf8Encode(text: string): Uint8Array {
  return encoder.encode(text);
}

export function utf8Decode(bytes: Uint8Array): string | undefined {
  try {
    return decoder.decode(bytes);
  } catch {
    return undefined;
  }
}
