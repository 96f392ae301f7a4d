// RFC 4648 §4 standard alphabet with padding, which both C2SP signed-note and tlog-checkpoint
// mandate. Node's decoder skips invalid characters silently, so check the shape first.
const SHAPE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Strict decode: null unless `s` is the canonical encoding of some bytes. */
export function decodeBase64(s: string): Uint8Array | null {
  if (!SHAPE.test(s)) return null;
  const bytes = Buffer.from(s, 'base64');
  // Non-zero unused bits in the last symbol would give two spellings of one value.
  if (bytes.toString('base64') !== s) return null;
  return new Uint8Array(bytes);
}

export function encodeBase64(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64');
}
