import type { KeyObject } from 'node:crypto';
import { TongbanError } from '../../errors';
import { ed25519 } from '../ed25519';
import { base64urlDecode } from '../encoding';
import type { FlattenedJws } from '../types';
import { checkSignatureHeader } from './parse-protected-header';

/** An Ed25519 signature is 64 bytes (RFC 8032 §5.1.6). */
const ED25519_SIGNATURE_BYTES = 64;

/**
 * Verify the signature over the exact received protected header and payload (RFC 7515 §5.2
 * step 8): Ed25519 (RFC 8037 §3.1) over ASCII(BASE64URL(protected) || '.' || BASE64URL(payload)).
 *
 * The protected header must say `alg` EdDSA and carry no `crit` and no `b64` (checked again
 * here; the pipeline's header step also pins `kid` and `typ`: parse-protected-header.ts), so
 * nothing in the message can change what the signature covers or which algorithm checks it. The
 * verify is synchronous (libsodium, or node:crypto where it cannot load: ../ed25519.ts): jose's
 * `flattenedVerify` gives the same verdict (the RFC 8037 and RFC 7515 vectors in
 * tests/unit/signing check both agree) but runs the verify on libuv's thread pool, which cost
 * 270 µs per message here against 116 µs for the verify itself (docs/operations.md).
 */
export function checkSignature(jws: FlattenedJws, key: KeyObject): void {
  checkSignatureHeader(jws.protected); // self-contained: EdDSA only, whoever calls this step
  const signature = base64urlDecode(jws.signature);
  if (!signature) {
    throw new TongbanError('signature_malformed', 'JWS signature is not base64url', {
      pointer: '/signature',
    });
  }
  // Any other length cannot verify: the same answer as a wrong signature.
  if (signature.byteLength !== ED25519_SIGNATURE_BYTES)
    throw new TongbanError('bad_signature', 'JWS signature does not verify with the sender key');
  if (key.type !== 'public' || key.asymmetricKeyType !== 'ed25519') {
    throw new TongbanError('signature_malformed', 'JWS could not be verified: not an Ed25519 key');
  }
  let ok: boolean;
  try {
    ok = ed25519.verify(Buffer.from(`${jws.protected}.${jws.payload}`, 'ascii'), signature, key);
  } catch (cause) {
    throw new TongbanError('signature_malformed', 'JWS could not be verified', {}, { cause });
  }
  if (!ok)
    throw new TongbanError('bad_signature', 'JWS signature does not verify with the sender key');
}
