import type { QueryResult } from './types';

/**
 * A transaction's last statement sent together with its COMMIT: one round trip for both (the
 * PostgreSQL driver pipelines them). The statement must fail loudly rather than do nothing when
 * it cannot do its work, since nothing can follow it; if it fails, the COMMIT rolls back. The
 * driver's `tx` then waits for that COMMIT instead of sending one. Nothing may be sent through
 * the handle afterwards.
 */
export type CommitWith = <R>(sql: string, params?: unknown[]) => Promise<QueryResult<R>>;

const committers = new WeakMap<object, CommitWith>();

/** The driver's `tx`: statements through `q` may carry its COMMIT. */
export function offerCommitWith(q: object, fn: CommitWith): void {
  committers.set(q, fn);
}

/** How to send `q`'s last statement with its COMMIT, if its driver can (else undefined). */
export function commitWithOf(q: object): CommitWith | undefined {
  return committers.get(q);
}

/**
 * An error after which the whole transaction should simply be run again (e.g. an optimistic
 * write that found its premise gone and failed so as not to commit without it). Group commit
 * does so once; the second run takes the locks it had hoped to avoid.
 */
export function retryTransaction<E extends Error>(e: E): E & { retryTransaction: true } {
  return Object.assign(e, { retryTransaction: true as const });
}

export function isRetryTransaction(e: unknown): boolean {
  return (e as { retryTransaction?: unknown } | null)?.retryTransaction === true;
}

/**
 * The error of a transaction function that failed after its last statement had committed with
 * it: the work is durable, and must not be run again (group commit answers every unit with it).
 */
export function committedAnyway(e: unknown): Error & { committed: true } {
  const err = e instanceof Error ? e : new Error(String(e));
  return Object.assign(err, { committed: true as const });
}

export function isCommittedAnyway(e: unknown): boolean {
  return (e as { committed?: unknown } | null)?.committed === true;
}
