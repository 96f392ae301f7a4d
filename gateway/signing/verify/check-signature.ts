import type { KeyObject } from 'node:crypto';
import { errors, flattenedVerify } from 'jose';
import { TongbanError } from '../../errors';
import { JWS_ALG } from '../constants';
import type { FlattenedJws } from '../types';

/**
 * Verify the signature over the exact received protected header and payload (RFC 7515 §5.2
 * step 8) with jose, restricted to EdDSA whatever the header says.
 */
export async function checkSignature(jws: FlattenedJws, key: KeyObject): Promise<void> {
  try {
    await flattenedVerify(jws, key, { algorithms: [JWS_ALG] });
  } catch (cause) {
    if (cause instanceof errors.JWSSignatureVerificationFailed) {
      throw new TongbanError(
        'bad_signature',
        'JWS signature does not verify with the sender key',
        {},
        { cause },
      );
    }
    if (cause instanceof errors.JOSEAlgNotAllowed) {
      throw new TongbanError(
        'algorithm_not_allowed',
        'JWS alg is not allowed; only EdDSA',
        {},
        { cause },
      );
    }
    throw new TongbanError('signature_malformed', 'JWS could not be verified', {}, { cause });
  }
}
