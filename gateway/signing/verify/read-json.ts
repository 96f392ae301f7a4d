import { TongbanError } from '../../errors';
import { utf8Decode } from '../encoding';

/**
 * Parse attacker-supplied bytes as a JSON object (RFC 8259), or refuse them as
 * `signature_malformed`, naming `what` and pointing at `pointer`.
 */
export function readJsonObject(
  bytes: Uint8Array,
  what: string,
  pointer: string,
): Record<string, unknown> {
  return readJsonText(bytes, what, pointer).value;
}

/** `readJsonObject`, with the text the bytes decoded to (strict UTF-8: one text per bytes). */
export function readJsonText(
  bytes: Uint8Array,
  what: string,
  pointer: string,
): { text: string; value: Record<string, unknown> } {
  const text = utf8Decode(bytes);
  if (text === undefined) {
    throw new TongbanError('signature_malformed', `${what} is not valid UTF-8`, { pointer });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new TongbanError('signature_malformed', `${what} is not JSON`, { pointer }, { cause });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TongbanError('signature_malformed', `${what} must be a JSON object`, { pointer });
  }
  return { text, value: value as Record<string, unknown> };
}
