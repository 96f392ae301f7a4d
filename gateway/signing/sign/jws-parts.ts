import { TongbanError } from '../../errors';
import { canonicalJson } from '../canonical';
import { JWS_ALG, JWS_TYP } from '../constants';
import { ed25519 } from '../ed25519';
import { base64urlEncode, utf8Encode } from '../encoding';
import type { CityKey } from '../keys/types';
import type { Envelope, FlattenedJws, ProtectedHeader } from '../types';
import { wireEnvelope } from './wire-envelope';

/**
 * The three base64url parts of a Tongban JWS (RFC 7515 §5.1):
 * protected = BASE64URL(UTF8({"alg":"EdDSA","kid":…,"typ":"tongban+jws"})),
 * payload = BASE64URL(RFC 8785 canonical JSON of the envelope),
 * signature = Ed25519 over ASCII(protected || '.' || payload) (RFC 8037 §3.1).
 */
export function jwsParts(env: Envelope, key: CityKey): FlattenedJws {
  if (key.privateKey.type !== 'private' || key.privateKey.asymmetricKeyType !== 'ed25519') {
    throw new TongbanError('config_invalid', `Signing key ${key.kid} is not a private Ed25519 key`);
  }
  const header: ProtectedHeader = { alg: JWS_ALG, kid: key.kid, typ: JWS_TYP };
  // alg < kid < typ: the canonical form is also the documented member order.
  const protectedB64 = base64urlEncode(canonicalJson(header));
  const payloadB64 = base64urlEncode(canonicalJson(wireEnvelope(env)));
  const signingInput = utf8Encode(`${protectedB64}.${payloadB64}`);
  // Ed25519 is deterministic (RFC 8032 §5.1.6): same key and input, same signature.
  const signature = base64urlEncode(ed25519.sign(signingInput, key.privateKey));
  return { protected: protectedB64, payload: payloadB64, signature };
}
