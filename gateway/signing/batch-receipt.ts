import { randomUUID } from 'node:crypto';
import type { components as X } from '../../contracts/generated/exchange.v1';
import { TongbanError } from '../errors';
import type { ReceiptBody } from './receipt';
import type { ContractRef, Envelope, MessageType } from './types';
import { SHA256_DIGEST } from './verify/envelope-fields';

/** Body of a `receipt.batch` envelope (contracts/exchange.v1.yaml `BatchReceipt`). */
export type BatchReceiptBody = X['schemas']['BatchReceipt'];
export type BatchReceiptEntry = X['schemas']['BatchReceiptEntry'];

export type BatchReceiptEnvelope = Envelope<BatchReceiptBody> & { type: 'receipt.batch' };

export interface BatchReceiptInput {
  /** The acknowledged messages, in the order they were received; all from one sender. */
  entries: readonly {
    message: Envelope;
    messageDigest: string;
    ledgerIndex: number | null;
    result?: unknown;
  }[];
  checkpoint: string | null;
  receivedAt: Date | string;
  /** This gateway's city: the receipt's `from`. */
  self: string;
  contract: ContractRef;
  /** Defaults: a fresh UUID and the current time. Pass them for reproducible receipts. */
  id?: string;
  issuedAt?: Date | string;
}

/**
 * One `receipt.batch` acknowledging several messages of one sender that were committed in one
 * transaction: one signature instead of one per message. No `caseRef` (it spans cases).
 */
export function buildBatchReceipt(input: BatchReceiptInput): BatchReceiptEnvelope {
  const first = input.entries[0];
  if (!first)
    throw new TongbanError('internal', 'A batch receipt acknowledges at least one message');
  const to = first.message.from;
  const receipts = input.entries.map((e): BatchReceiptEntry => {
    if (e.message.from !== to)
      throw new TongbanError('internal', 'A batch receipt answers messages of one sender only');
    if (!SHA256_DIGEST.test(e.messageDigest))
      throw new TongbanError(
        'internal',
        `messageDigest must be sha256:<hex>, got ${e.messageDigest}`,
      );
    if (e.ledgerIndex !== null && !(Number.isSafeInteger(e.ledgerIndex) && e.ledgerIndex >= 0))
      throw new TongbanError('internal', `ledgerIndex must be a non-negative integer or null`);
    const entry: BatchReceiptEntry = {
      messageId: e.message.id,
      messageType: e.message.type,
      messageDigest: e.messageDigest,
      ledgerIndex: e.ledgerIndex,
    };
    if (e.result !== undefined) entry.result = e.result;
    return entry;
  });
  return {
    id: input.id ?? randomUUID(),
    type: 'receipt.batch',
    from: input.self,
    to,
    contract: { ...input.contract },
    issuedAt: toIso(input.issuedAt ?? new Date()),
    body: { receipts, checkpoint: input.checkpoint, receivedAt: toIso(input.receivedAt) },
  };
}

/**
 * What a signed receipt says about ONE message, whichever form it came in: a `receipt`'s body
 * when it names `messageId`, or a `receipt.batch` entry for it with the batch's checkpoint and
 * time. Undefined when the receipt does not acknowledge that message at all.
 */
export function acknowledgementOf(receipt: Envelope, messageId: string): ReceiptBody | undefined {
  if (receipt.type === 'receipt') {
    const b = receipt.body as ReceiptBody;
    return b.messageId === messageId ? b : undefined;
  }
  if (receipt.type !== 'receipt.batch') return undefined;
  const b = receipt.body as BatchReceiptBody;
  const e = b.receipts.find((r) => r.messageId === messageId);
  if (!e) return undefined;
  const out: ReceiptBody = {
    messageId: e.messageId,
    messageType: e.messageType as MessageType,
    messageDigest: e.messageDigest,
    ledgerIndex: e.ledgerIndex,
    checkpoint: b.checkpoint,
    receivedAt: b.receivedAt,
  };
  if (e.result !== undefined) out.result = e.result;
  return out;
}

/** The receipt types: what may answer a POSTed message. */
export const RECEIPT_TYPES = ['receipt', 'receipt.batch'] as const satisfies readonly MessageType[];

function toIso(t: Date | string): string {
  return typeof t === 'string' ? t : t.toISOString();
}
