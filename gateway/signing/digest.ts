import { createHash } from 'node:crypto';

/** `sha256:<hex>` of exactly these bytes: how receipts and the ledger name a message. */
export function sha256Digest(bytes: Uint8Array): string {
  return 'sha256:' + createHash('sha256').update(bytes).digest('hex');
}
