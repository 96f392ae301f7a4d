/**
 * The signed message model of the exchange contract (contracts/exchange.v1.yaml, schemas
 * `Envelope`, `ContractRef`, `MessageType`, `FlattenedJws`).
 */

/** Every message type of the exchange contract, in contract order. */
export const MESSAGE_TYPES = [
  'delegation.create',
  'delegation.materials',
  'delegation.withdrawal',
  'delegation.status',
  'delegation.view',
  'callback',
  'penalty.query',
  'penalty.answer',
  'receipt',
  'receipt.batch',
  'metadata',
] as const;

export type MessageType = (typeof MESSAGE_TYPES)[number];

/** Names the exchange contract both sides speak; `digest` is `sha256:<hex>` of the document. */
export interface ContractRef {
  name: string;
  version: string;
  digest: string;
}

/** The signed payload. Its RFC 8785 canonical JSON is the JWS payload. */
export interface Envelope<B = unknown> {
  /** RFC 9562 UUID, lower case; the receiver's idempotency key. */
  id: string;
  type: MessageType;
  /** Sender city (6-digit GB/T 2260 code). */
  from: string;
  /** Receiver city (6-digit GB/T 2260 code). */
  to: string;
  contract: ContractRef;
  /** RFC 3339 date-time in UTC (`Z`). */
  issuedAt: string;
  caseRef?: string;
  body: B;
}

/** A serialized JWS: the exact bytes to send, store and hash, and the same as text. */
export interface SignedJws {
  bytes: Uint8Array;
  text: string;
}

/** Flattened JWS JSON serialization (RFC 7515 §7.2.2) as Tongban sends it: no unprotected header. */
export interface FlattenedJws {
  protected: string;
  payload: string;
  signature: string;
}

/** The only protected header Tongban produces: `{"alg":"EdDSA","kid":…,"typ":"tongban+jws"}`. */
export interface ProtectedHeader {
  alg: 'EdDSA';
  kid: string;
  typ: string;
}
