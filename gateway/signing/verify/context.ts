import type { KeyObject } from 'node:crypto';
import type { ContractRef, Envelope, MessageType, ProtectedHeader } from '../types';

/** Looks up a pinned key of a peer city; the pipeline's only I/O, injected by the caller. */
export type KeyResolver = (
  city: string,
  kid: string,
) => Promise<KeyObject | undefined> | KeyObject | undefined;

/** What the receiver expects of a message. */
export interface VerifyContext {
  /** This gateway's own city: the only acceptable `to`. */
  self: string;
  expectedType: MessageType | readonly MessageType[];
  /** The contract this endpoint speaks; name and digest must match the envelope's. */
  contract: ContractRef;
  now: Date;
  /** Allowed |issuedAt − now|, default 300 s. */
  maxSkewSeconds?: number;
  /** Largest accepted JWS, in bytes. */
  maxBytes: number;
  resolveKey: KeyResolver;
  knownCity: (city: string) => boolean;
}

/** A message that passed every check. */
export interface VerifiedEnvelope {
  envelope: Envelope;
  header: ProtectedHeader;
  /** `sha256:<hex>` of the exact bytes received: what the receipt and the ledger name. */
  digest: string;
}
