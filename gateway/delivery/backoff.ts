/**
 * Retry policy of the outbox (docs/delivery.md): exponential backoff with full jitter, a peer's
 * Retry-After honoured as a floor, and a classification of answers into "try again later"
 * and "refused for good" (dead letter).
 */

/**
 * Full jitter: delay = random(0, min(cap, base·2^attempt)), so that many gateways retrying one
 * recovered peer do not arrive in lockstep (AWS Architecture Blog, "Exponential Backoff And
 * Jitter"). `attempt` is 1 for the first retry.
 */
export function backoffMs(
  attempt: number,
  baseMs: number,
  capMs: number,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.min(Math.max(attempt, 0), 30));
  return Math.floor(random() * ceiling);
}

/** Longest Retry-After honoured; a peer asking for more is retried after this. */
export const MAX_RETRY_AFTER_MS = 6 * 3600_000;

/** Retry-After (RFC 9110 §10.2.3): delay-seconds or an HTTP date, capped at MAX_RETRY_AFTER_MS. */
export function retryAfterMs(
  header: string | string[] | undefined,
  now: number,
): number | undefined {
  const v = (Array.isArray(header) ? header[0] : header)?.trim();
  if (!v) return undefined;
  if (/^\d+$/.test(v)) return Math.min(Number(v) * 1000, MAX_RETRY_AFTER_MS);
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.min(Math.max(0, at - now), MAX_RETRY_AFTER_MS);
}

/** Statuses worth retrying: the peer may recover. */
export function isRetryable(status: number): boolean {
  return status >= 500 || status === 408 || status === 425 || status === 429;
}

/**
 * Refusal codes that are not final although their status is a 4xx: `unknown_key` means the
 * peer has not pinned our (new) key yet, which a key rollout fixes without touching the message;
 * `try_again` that another writer got there first (another replica still processing the same
 * message, or a ledger head moved under the transaction) and nothing was written.
 */
const RETRYABLE_CODES = new Set(['unknown_key', 'not_ready', 'try_again']);

export type AnswerClass =
  /** The peer is overloaded and said so (429, 503): back off for the whole peer. */
  | 'throttled'
  /** Transient trouble at the peer (5xx, 408, 425, a retryable code): retry this message. */
  | 'retry'
  /** A refusal (any other 4xx): the same bytes will never be accepted; dead letter. */
  | 'refused';

export function classifyAnswer(status: number, code?: string): AnswerClass {
  if (status === 429 || status === 503) return 'throttled';
  if (isRetryable(status) || (code !== undefined && RETRYABLE_CODES.has(code))) return 'retry';
  return 'refused';
}
