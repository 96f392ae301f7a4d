/** The delivery worker's options and what it tells its observers (worker.ts). */
import type { BreakerOptions } from './circuit-breaker';
import type { OutboxJob } from './claim';
import type { Outcome } from './outcome';

export interface DeliveryObserver {
  (e: {
    peer: string;
    type: string;
    outcome: Outcome;
    ms: number;
    attempts: number;
    messageId: string;
    /** When the message was queued (outbox.created_at). */
    queuedAt: Date;
    error?: string;
  }): void;
}

export interface WorkerOptions {
  /**
   * Most sends to one healthy peer at a time (default: three quarters of the workers, at least
   * 1); a peer with failures on record gets one at a time.
   */
  perPeer?: number;
  breaker?: Partial<BreakerOptions>;
  /** Lease of a claimed row (default: 3 × the send timeout, at least timeout + 5 s). */
  leaseMs?: number;
  /** How often rows past their retry budget are dead-lettered (default 5 s). */
  sweepMs?: number;
}

/** What an observer hears about a job. */
export const describe = (job: OutboxJob) => ({
  peer: job.peer,
  type: job.type,
  attempts: job.attempts,
  messageId: job.message_id,
  queuedAt: job.created_at,
});
