import { TongbanError } from '../errors';
import { verifyContext } from '../exchange/verify-context';
import type { Gateway } from '../runtime/context';
import {
  acknowledgementOf,
  RECEIPT_TYPES,
  sha256Digest,
  verifyEnvelope,
  type ReceiptBody,
  type VerifiedEnvelope,
} from '../signing';
import { classifyAnswer, retryAfterMs } from './backoff';
import type { OutboxJob } from './claim';
import type { Attempt, OutgoingMessage } from './outcome';
import { readProblem, type SendResult } from './send';

/** A verified signed receipt and what it says about the one message it answered. */
export interface VerifiedReceipt extends VerifiedEnvelope {
  /** This message's acknowledgement: the `receipt` body, or its entry in a `receipt.batch`. */
  ack: ReceiptBody;
}

/** What the peer's answer to one message says: a verified receipt, or an attempt to settle. */
export async function readAnswer(
  gw: Gateway,
  job: OutboxJob,
  msg: OutgoingMessage,
  res: SendResult,
  /** The answer's bytes already being verified by the caller (a batch's one receipt.batch). */
  verified?: Promise<VerifiedEnvelope>,
): Promise<{ attempt: Attempt } | { receipt: VerifiedReceipt }> {
  if (res.status !== 200) {
    const p = readProblem(res.body);
    const error = `${res.status}${p.code ? ` ${p.code}` : ''}${p.detail ? `: ${p.detail}` : ''}`;
    const cls = classifyAnswer(res.status, p.code);
    if (cls === 'throttled') {
      const ra = retryAfterMs(res.headers['retry-after'], Date.now());
      return {
        attempt: {
          want: 'retry',
          error,
          peer: ra === undefined ? 'down' : 'throttled',
          retryAfterMs: ra,
          httpStatus: res.status,
        },
      };
    }
    if (cls === 'retry')
      return {
        attempt: {
          want: 'retry',
          error,
          peer: res.status >= 500 || res.status === 408 ? 'down' : 'up',
          httpStatus: res.status,
        },
      };
    const why =
      p.code === 'stale_message'
        ? `${error} (the signed message is older than the peer's freshness window; it cannot be resent as it is)`
        : error;
    return { attempt: { want: 'dead', error: why, peer: 'up', httpStatus: res.status } };
  }
  try {
    return { receipt: await verifyReceipt(gw, job, res.body, msg, verified) };
  } catch (e) {
    return {
      attempt: {
        want: 'retry',
        error: `bad receipt: ${(e as Error).message}`,
        peer: 'up',
        httpStatus: 200,
      },
    };
  }
}

/**
 * The receipt must come from the peer, be addressed to us, and acknowledge exactly the bytes we
 * sent: a `receipt` for this message, or a `receipt.batch` with an entry for it. A resend is
 * answered with the ORIGINAL receipt, signed when the message first arrived, so its freshness is
 * bounded by the age of our message rather than by the clock-skew window alone (the id and
 * digest bind it to this message; nothing can be replayed into it).
 */
async function verifyReceipt(
  gw: Gateway,
  job: OutboxJob,
  body: Uint8Array,
  msg: OutgoingMessage,
  verified?: Promise<VerifiedEnvelope>,
): Promise<VerifiedReceipt> {
  const receipt = await (verified ?? verifyReceiptBytes(gw, job.peer, body, [msg.issued_at]));
  const ack = acknowledgementOf(receipt.envelope, job.message_id);
  if (!ack || ack.messageDigest !== sha256Digest(msg.data)) {
    throw new TongbanError('peer_refused', 'receipt does not acknowledge the message sent');
  }
  return { ...receipt, ack };
}

/**
 * Signature, audience, sender `peer`, contract and body schema of signed receipt bytes; the
 * freshness window is widened by the age of the oldest message (`issuedAt`) it may answer.
 */
export async function verifyReceiptBytes(
  gw: Gateway,
  peer: string,
  body: Uint8Array,
  issuedAt: readonly (Date | string)[],
): Promise<VerifiedEnvelope> {
  const now = gw.now();
  const skew = gw.settings.clockSkewSeconds;
  const oldest = Math.min(...issuedAt.map((t) => new Date(t).getTime()));
  const ageSeconds = Math.max(0, Math.ceil((now.getTime() - oldest) / 1000));
  // The exchange's one verify context (audience, contract, keys with the rate-limited
  // refetch), only this peer as sender, and the window widened by the message's age.
  const receipt = await verifyEnvelope(body, {
    ...verifyContext(gw, [...RECEIPT_TYPES], peer),
    now,
    maxSkewSeconds: skew + ageSeconds,
  });
  if (Date.parse(receipt.envelope.issuedAt) > now.getTime() + skew * 1000) {
    throw new TongbanError(
      'stale_message',
      `receipt issuedAt ${receipt.envelope.issuedAt} lies in the future`,
    );
  }
  const schema = receipt.envelope.type === 'receipt' ? 'Receipt' : 'BatchReceipt';
  const v = gw.contracts.schemaValidator('exchange', schema);
  gw.contracts.assertValid(v, receipt.envelope.body, '/body', `${receipt.envelope.type} body`);
  return receipt;
}
