import { randomUUID } from 'node:crypto';
import { TongbanError } from '../errors';
import type { ContractRef, Envelope, MessageType } from './types';
import { SHA256_DIGEST } from './verify/envelope-fields';

/** Body of a `receipt` envelope (contracts/exchange.v1.yaml `Receipt`). */
export interface ReceiptBody {
  messageId: string;
  messageType: MessageType;
  /** `sha256:<hex>` of the exact bytes received. */
  messageDigest: string;
  ledgerIndex: number | null;
  /** The receiver's most recent signed checkpoint (at most 250 ms old; may not cover this entry yet). */
  checkpoint: string | null;
  receivedAt: string;
  result?: unknown;
}

export type ReceiptEnvelope = Envelope<ReceiptBody> & { type: 'receipt' };

export interface ReceiptInput {
  /** The verified envelope being acknowledged. */
  message: Envelope;
  messageDigest: string;
  ledgerIndex: number | null;
  checkpoint: string | null;
  receivedAt: Date | string;
  /** What the receiver did with it (operation specific); left out when undefined. */
  result?: unknown;
  /** This gateway's city: the receipt's `from`. */
  self: string;
  contract: ContractRef;
  /** Defaults: a fresh UUID and the current time. Pass them for reproducible receipts. */
  id?: string;
  issuedAt?: Date | string;
}

/** The receipt envelope answering `message`, addressed back to its sender, ready to sign. */
export function buildReceipt(input: ReceiptInput): ReceiptEnvelope {
  const { message, messageDigest, ledgerIndex } = input;
  if (!SHA256_DIGEST.test(messageDigest)) {
    throw new TongbanError(
      'internal',
      `Receipt messageDigest must be sha256:<hex>, got ${messageDigest}`,
    );
  }
  if (ledgerIndex !== null && !(Number.isSafeInteger(ledgerIndex) && ledgerIndex >= 0)) {
    throw new TongbanError(
      'internal',
      `Receipt ledgerIndex must be a non-negative integer or null, got ${ledgerIndex}`,
    );
  }
  const body: ReceiptBody = {
    messageId: message.id,
    messageType: message.type,
    messageDigest,
    ledgerIndex,
    checkpoint: input.checkpoint,
    receivedAt: toIso(input.receivedAt),
  };
  if (input.result !== undefined) body.result = input.result;
  const receipt: ReceiptEnvelope = {
    id: input.id ?? randomUUID(),
    type: 'receipt',
    from: input.self,
    to: message.from,
    contract: { ...input.contract },
    issuedAt: toIso(input.issuedAt ?? new Date()),
    body,
  };
  if (message.caseRef !== undefined) receipt.caseRef = message.caseRef;
  return receipt;
}

function toIso(t: Date | string): string {
  return typeof t === 'string' ? t : t.toISOString();
}
