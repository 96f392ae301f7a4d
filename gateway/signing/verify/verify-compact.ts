import { utf8Encode } from '../encoding';
import { compactToFlattened } from '../sign/compact-to-flattened';
import { checkSize } from './check-size';
import type { VerifiedEnvelope, VerifyContext } from './context';
import { verifyEnvelope } from './verify-envelope';

/**
 * Verify the compact JWS of a header-signed GET (`Tongban-Signature`, RFC 7515 §7.1): rewrite it
 * losslessly as flattened JSON and run the same pipeline. `digest` is then the SHA-256 of that
 * flattened form, which is what the ledger stores.
 */
export async function verifyCompact(
  compact: string,
  ctx: VerifyContext,
): Promise<VerifiedEnvelope> {
  checkSize(utf8Encode(compact), ctx.maxBytes); // bound the work before the rewrite
  return verifyEnvelope(compactToFlattened(compact).bytes, ctx);
}
