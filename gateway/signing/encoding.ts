/**
 * Strict byte/text encodings for attacker-controlled input. Each decoder returns `undefined`
 * instead of guessing, so callers turn the failure into their own domain error.
 */

/** base64url without padding (RFC 7515 §2, RFC 4648 §5). */
export function base64urlEncode(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64url');
}

/**
 * Decode base64url, refusing padding, other alphabets, impossible lengths and non-canonical
 * encodings (non-zero trailing bits, RFC 4648 §3.5). Node's own decoder is lenient (it skips
 * characters outside the alphabet, accepts `+`, `/` and `=`, drops a lone trailing character),
 * so the text is accepted only if encoding its bytes again gives exactly the same text: that
 * one comparison refuses all of these (tests/unit/signing/encoding.test.ts checks it against the
 * written-out rule). An alphabet check in front cost about as much again: ≈ 2 µs per 2 KB item.
 */
export function base64urlDecode(text: string): Uint8Array | undefined {
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
