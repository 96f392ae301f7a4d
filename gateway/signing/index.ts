/** Signing: Ed25519 city keys, signed envelopes (flattened JWS) and their verification. */
export * from './types';
export * from './constants';
export { canonicalJson, isCanonicalText } from './canonical';
export { sha256Digest } from './digest';

export type { CityKey, Ed25519PrivateJwk, Ed25519PublicJwk, GeneratedCityKey } from './keys/types';
export { generateCityKey } from './keys/generate';
export { cityKeyFromSeed } from './keys/from-seed';
export { cityKeyFromPrivateJwk } from './keys/city-key';
export { importPrivateJwk } from './keys/import-private';
export { importPublicJwk } from './keys/import-public';
export { jwkThumbprint } from './keys/thumbprint';
export { writePrivateKeyFile } from './keys/write-key-file';
export { readPrivateKeyFile } from './keys/read-key-file';
export { publicJwks } from './keys/jwks';

export { signEnvelope } from './sign/sign-envelope';
export { signCompact } from './sign/sign-compact';
export { compactToFlattened } from './sign/compact-to-flattened';

export type { KeyResolver, VerifiedEnvelope, VerifyContext } from './verify/context';
export { verifyEnvelope } from './verify/verify-envelope';
export { verifyCompact } from './verify/verify-compact';

export { buildReceipt, type ReceiptBody, type ReceiptEnvelope, type ReceiptInput } from './receipt';
export {
  acknowledgementOf,
  buildBatchReceipt,
  RECEIPT_TYPES,
  type BatchReceiptBody,
  type BatchReceiptEntry,
  type BatchReceiptEnvelope,
  type BatchReceiptInput,
} from './batch-receipt';
