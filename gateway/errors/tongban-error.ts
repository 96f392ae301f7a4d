import { type ErrorCode, statusOf } from './codes';

export interface ErrorDetails {
  /** JSON pointer (RFC 6901) of the offending field, when one field is at fault. */
  pointer?: string;
  /** Per-field problems, when several are. */
  errors?: { pointer: string; detail: string }[];
  /** Extra members rendered into the problem document (never secrets or personal data). */
  extra?: Record<string, unknown>;
}

/**
 * The one error base class. `code` is stable and machine-readable; `message` is for people.
 * Always pass `cause` when wrapping, so logs keep the chain.
 */
export class TongbanError extends Error {
  override readonly name = 'TongbanError';
  readonly code: ErrorCode;
  readonly details: ErrorDetails;

  constructor(
    code: ErrorCode,
    message: string,
    details: ErrorDetails = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.code = code;
    this.details = details;
  }

  get status(): number {
    return statusOf(this.code);
  }
}

export function isTongbanError(e: unknown): e is TongbanError {
  return e instanceof TongbanError;
}
