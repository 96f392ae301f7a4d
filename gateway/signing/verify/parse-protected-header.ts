import { TongbanError } from '../../errors';
import { JWS_ALG, JWS_TYP } from '../constants';
import { base64urlDecode, pointerToken } from '../encoding';
import type { ProtectedHeader } from '../types';
import { readJsonObject } from './read-json';

const MEMBERS = new Set(['alg', 'kid', 'typ']);
// RFC 7515 §4.1.9: "application/" may be omitted and media types compare case-insensitively.
const TYPES = new Set([JWS_TYP, `application/${JWS_TYP}`]);

/**
 * Decode the protected header and accept only `{"alg":"EdDSA","kid":…,"typ":"tongban+jws"}`.
 * Extensions come first: `crit` (RFC 7515 §4.1.11) names nothing we implement and `b64`
 * (RFC 7797 §3) would change what the signature covers. Then `alg` is pinned to EdDSA
 * (RFC 8725 §3.1: never let the message choose the algorithm).
 */
export function parseProtectedHeader(protectedB64: string): ProtectedHeader {
  const header = checkSignatureHeader(protectedB64);
  const { kid, typ } = header;
  if (typeof kid !== 'string' || kid === '')
    throw malformed('/protected/kid', 'Protected header needs a "kid"');
  if (typeof typ !== 'string' || !TYPES.has(typ.toLowerCase())) {
    throw malformed(
      '/protected/typ',
      `Protected header "typ" must be "${JWS_TYP}" (RFC 7515 §4.1.9)`,
    );
  }
  const extra = Object.keys(header).find((name) => !MEMBERS.has(name));
  if (extra !== undefined)
    throw malformed(
      `/protected/${pointerToken(extra)}`,
      `Protected header member "${extra}" is not accepted`,
    );
  return { alg: JWS_ALG, kid, typ };
}

/**
 * What decides how the signature is checked, alone: the header decodes to a JSON object with
 * no extensions (`crit`, `b64`) and `alg` EdDSA. Returns the decoded header.
 */
export function checkSignatureHeader(protectedB64: string): Record<string, unknown> {
  const bytes = base64urlDecode(protectedB64);
  if (!bytes) throw malformed('/protected', 'Protected header is not base64url');
  const header = readJsonObject(bytes, 'Protected header', '/protected');
  if ('crit' in header)
    throw malformed(
      '/protected/crit',
      'Protected header "crit" is not supported (RFC 7515 §4.1.11)',
    );
  if ('b64' in header)
    throw malformed(
      '/protected/b64',
      'The unencoded payload option "b64" is refused (RFC 7797 §3)',
    );
  if (header.alg !== JWS_ALG) {
    throw new TongbanError(
      'algorithm_not_allowed',
      `JWS alg ${JSON.stringify(header.alg) ?? 'missing'} is not allowed; only EdDSA (RFC 8037 §3.1)`,
      {
        pointer: '/protected/alg',
        extra: { allowed: [JWS_ALG] },
      },
    );
  }
  return header;
}

function malformed(pointer: string, message: string): TongbanError {
  return new TongbanError('signature_malformed', message, { pointer });
}
