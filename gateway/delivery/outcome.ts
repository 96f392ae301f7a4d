// What a delivery attempt can come to, and what the rest of the gateway (case effects, the
// worker, adapters that deliver without HTTP) needs to know of it. Types only: shared by
// deliver-one, deliver-batch, read-answer and adapters/outbox without importing one another.
import type { Attached } from '../ledger';
import type { ReceiptBody } from '../signing';
import type { Queryable } from '../store';
import type { OutboxJob } from './claim';

export interface DeliveryEffects {
  /**
   * Applied in the transaction that records the peer's signed receipts; `ack` is what the
   * receipt (a `receipt`, or a `receipt.batch` entry) says about that message.
   */
  delivered(q: Queryable, done: readonly { job: OutboxJob; ack: ReceiptBody }[]): Promise<void>;
  /**
   * Optional: the same effect, its first statement as rows changed in the statement that logs
   * the receipts (an attachment to that ledger append: ledger/store/attach.ts), then `after`
   * with the rows it returned. Undefined when there is nothing to change.
   */
  deliveredWith?(done: readonly { job: OutboxJob; ack: ReceiptBody }[]):
    | {
        rows: Attached;
        after(q: Queryable, returned: readonly Record<string, unknown>[]): Promise<void>;
      }
    | undefined;
  /** Applied in the transaction that dead-letters the message. */
  dead(q: Queryable, job: OutboxJob, reason: string): Promise<void>;
}

/**
 * `superseded`: this claimer's lease had run out and another claimer took the row over; its
 * result was discarded (the row is the other claimer's to settle).
 */
export type Outcome = 'delivered' | 'retry' | 'dead' | 'superseded';

/** What one attempt says about the peer, for its circuit breaker. */
export type PeerSignal = 'up' | 'down' | 'throttled' | 'none';

export interface DeliveryResult {
  outcome: Outcome;
  error?: string;
  ms: number;
  peer: PeerSignal;
  /** With `throttled`: how long the peer asked us to wait. */
  retryAfterMs?: number;
}

export interface Attempt {
  want: 'retry' | 'dead';
  error: string;
  peer: PeerSignal;
  httpStatus?: number;
  retryAfterMs?: number;
  /** Retry at once (an interrupted send, not a failure of the peer). */
  immediate?: boolean;
}

export interface OutgoingMessage {
  data: Uint8Array;
  issued_at: Date;
}
