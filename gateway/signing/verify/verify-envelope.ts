import { DEFAULT_MAX_SKEW_SECONDS } from '../constants';
import { sha256Digest } from '../digest';
import { checkAudience } from './check-audience';
import { checkCanonical } from './check-canonical';
import { checkContract } from './check-contract';
import { checkFreshness } from './check-freshness';
import { checkShape } from './check-shape';
import { checkSignature } from './check-signature';
import { checkSize } from './check-size';
import { checkType } from './check-type';
import type { VerifiedEnvelope, VerifyContext } from './context';
import { decodePayload } from './decode-payload';
import { parseFlattened } from './parse-flattened';
import { parseProtectedHeader } from './parse-protected-header';
import { resolveSenderKey } from './resolve-sender-key';

/**
 * Verify a received flattened JWS (RFC 7515 §5.2) and the envelope it carries. Each step is a
 * small check that throws its own TongbanError code; the order is part of the protocol
 * (docs/protocol.md). No I/O here except the caller's `resolveKey`.
 */
export async function verifyEnvelope(
  bytes: Uint8Array,
  ctx: VerifyContext,
): Promise<VerifiedEnvelope> {
  checkSize(bytes, ctx.maxBytes);
  const jws = parseFlattened(bytes);
  const header = parseProtectedHeader(jws.protected);
  const claimed = decodePayload(jws.payload);
  const key = await resolveSenderKey(claimed.from, header.kid, ctx);
  checkSignature(jws, key);
  checkCanonical(claimed);
  const envelope = checkShape(claimed.json);
  checkAudience(envelope, ctx.self);
  checkFreshness(envelope, ctx.now, ctx.maxSkewSeconds ?? DEFAULT_MAX_SKEW_SECONDS);
  checkType(envelope, ctx.expectedType);
  checkContract(envelope, ctx.contract);
  return { envelope, header, digest: sha256Digest(bytes) };
}
