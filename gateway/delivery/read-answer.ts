import { TongbanError } from '../errors';
import { verifyContext } from '../exchange/verify-context';
import type { Gateway } from '../runtime/context';
import { sha256Digest, verifyEnvelope } from '../signing';
import { classifyAnswer, retryAfterMs } from './backoff';
import type { OutboxJob } from './claim';
import type { Attempt, OutgoingMessage } from './deliver-one';
import { readProblem, type SendResult } from './send';

export type VerifiedReceipt = Awaited<ReturnType<typeof verifyReceipt>>;

/** What the peer's answer to one message says: a verified receipt, or an attempt to settle. */
export async function readAnswer(
  gw: Gateway,
  job: OutboxJob,
  msg: OutgoingMessage,
  res: SendResult,
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
    return { receipt: await verifyReceipt(gw, job, res.body, msg) };
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
 * sent. A resend is answered with the ORIGINAL receipt, signed when the message first arrived,
 * so its freshness is bounded by the age of our message rather than by the clock-skew window
 * alone (the id and digest bind it to this message; nothing can be replayed into it).
 */
async function verifyReceipt(gw: Gateway, job: OutboxJob, body: Uint8Array, msg: OutgoingMessage) {
  const now = gw.now();
  const skew = gw.settings.clockSkewSeconds;
  const ageSeconds = Math.max(
    0,
    Math.ceil((now.getTime() - new Date(msg.issued_at).getTime()) / 1000),
  );
  // The exchange's one verify context (audience, contract, keys with the rate-limited
  // refetch), only this peer as sender, and the window widened by the message's age.
  const receipt = await verifyEnvelope(body, {
    ...verifyContext(gw, 'receipt', job.peer),
    now,
    maxSkewSeconds: skew + ageSeconds,
  });
  if (Date.parse(receipt.envelope.issuedAt) > now.getTime() + skew * 1000) {
    throw new TongbanError(
      'stale_message',
      `receipt issuedAt ${receipt.envelope.issuedAt} lies in the future`,
    );
  }
  const b = receipt.envelope.body as { messageId?: string; messageDigest?: string };
  if (b.messageId !== job.message_id || b.messageDigest !== sha256Digest(msg.data)) {
    throw new TongbanError('peer_refused', 'receipt does not acknowledge the message sent');
  }
  return receipt;
}
