import { TongbanError } from '../../errors';

/** First, before any parsing: refuse oversized messages (`payload_too_large`). */
export function checkSize(bytes: Uint8Array, maxBytes: number): void {
  if (bytes.byteLength > maxBytes) {
    throw new TongbanError(
      'payload_too_large',
      `Signed message is ${bytes.byteLength} bytes; the limit is ${maxBytes}`,
      {
        extra: { limit: maxBytes },
      },
    );
  }
}
