import { TongbanError } from '../gateway/errors';
import type { ErrorCode } from '../gateway/errors/codes';
import type { Evidence } from './types';

/**
 * A failed adapter call. `retryable` says whether trying again later may succeed (network,
 * 5xx, 429…) or the city refused for good (a mapping or business error: dead letter).
 */
export class AdapterError extends TongbanError {
  readonly retryable: boolean;
  readonly httpStatus?: number;
  readonly evidence?: Evidence;
  readonly retryAfterMs?: number;

  constructor(
    code: ErrorCode,
    message: string,
    o: {
      retryable: boolean;
      httpStatus?: number;
      evidence?: Evidence;
      retryAfterMs?: number;
      cause?: unknown;
    },
  ) {
    super(code, message, {}, { cause: o.cause });
    this.retryable = o.retryable;
    this.httpStatus = o.httpStatus;
    this.evidence = o.evidence;
    this.retryAfterMs = o.retryAfterMs;
  }
}

export function isAdapterError(e: unknown): e is AdapterError {
  return e instanceof AdapterError;
}

/** Any error as an AdapterError: Tongban refusals keep their code and are final. */
export function asAdapterError(e: unknown): AdapterError {
  if (e instanceof AdapterError) return e;
  if (e instanceof TongbanError) {
    const retryable =
      e.code === 'peer_unreachable' || e.code === 'not_ready' || e.code === 'internal';
    return new AdapterError(e.code, e.message, { retryable, cause: e });
  }
  return new AdapterError('internal', (e as Error)?.message ?? String(e), {
    retryable: true,
    cause: e,
  });
}
