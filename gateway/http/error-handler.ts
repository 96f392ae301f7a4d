import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from 'pino';
import { TongbanError, toProblem } from '../errors';

/** Errors raised by express's body parsers, turned into client-mistake problems. */
function fromBodyParser(err: {
  type?: string;
  status?: number;
  limit?: number;
}): TongbanError | undefined {
  switch (err.type) {
    case 'entity.parse.failed':
      return new TongbanError(
        'malformed_json',
        'The request body is not valid JSON',
        { pointer: '' },
        { cause: err },
      );
    case 'entity.too.large':
      return new TongbanError(
        'payload_too_large',
        `The request body exceeds the limit of ${err.limit ?? '?'} bytes`,
        {},
        { cause: err },
      );
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new TongbanError(
        'unsupported_media_type',
        'Unsupported body encoding or charset',
        {},
        { cause: err },
      );
    default:
      return undefined;
  }
}

export const notFound: RequestHandler = (req, _res, next) => {
  next(new TongbanError('not_found', `No route ${req.method} ${req.path}`));
};

/** The one error handler: every error leaves as RFC 9457 problem+json, never a stack trace. */
export function errorHandler(log: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const e = err instanceof TongbanError ? err : (fromBodyParser(err as object) ?? err);
    const problem = toProblem(e, req.originalUrl);
    if (problem.status >= 500)
      log.error({ err, reqId: req.id, code: problem.code }, 'request failed');
    else log.info({ reqId: req.id, code: problem.code, status: problem.status }, problem.detail);
    if (res.headersSent) return;
    res.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
  };
}
