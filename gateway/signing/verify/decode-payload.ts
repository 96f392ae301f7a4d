import { TongbanError } from '../../errors';
import { base64urlDecode } from '../encoding';
import { CITY_ID } from './envelope-fields';
import { readJsonText } from './read-json';

/** The decoded payload, not yet trusted. */
export interface ClaimedPayload {
  bytes: Uint8Array;
  /** The bytes as text (strict UTF-8). */
  text: string;
  json: Record<string, unknown>;
  /** The claimed sender: used only to choose the key that must verify the signature. */
  from: string;
}

/** Decode the payload and read `from` before the signature is checked, to pick the sender's key. */
export function decodePayload(payloadB64: string): ClaimedPayload {
  const bytes = base64urlDecode(payloadB64);
  if (!bytes)
    throw new TongbanError('signature_malformed', 'JWS payload is not base64url', {
      pointer: '/payload',
    });
  const { text, value: json } = readJsonText(bytes, 'JWS payload', '/payload');
  const from = json.from;
  if (typeof from !== 'string' || !CITY_ID.test(from)) {
    throw new TongbanError('signature_malformed', 'Envelope "from" must be a 6-digit city code', {
      pointer: '/from',
    });
  }
  return { bytes, text, json, from };
}
