import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from 'pino';
import { TongbanError, toProblem } from '../errors';
import { contracts } from './contracts';

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

/**
 * The last route: a path the contracts define but not for this method is 405 with `Allow`
 * (RFC 9110 §15.5.6), anything else 404. The contracts are the list of paths and methods.
 */
export function notFound(
  operations: readonly { method: string; path: string }[] = contracts().operations(),
): RequestHandler {
  const byPath = new Map<string, { re: RegExp; methods: Set<string> }>();
  for (const op of operations) {
    let e = byPath.get(op.path);
    if (!e) {
      const pattern = op.path
        .split(/\{[^}]+\}/)
        .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
        .join('[^/]+');
      byPath.set(op.path, (e = { re: new RegExp(`^${pattern}$`), methods: new Set() }));
    }
    e.methods.add(op.method.toUpperCase());
    if (op.method === 'get') e.methods.add('HEAD');
  }
  return (req, res, next) => {
    const allowed = new Set<string>();
    for (const e of byPath.values())
      if (e.re.test(req.path)) e.methods.forEach((m) => allowed.add(m));
    if (allowed.size > 0 && !allowed.has(req.method)) {
      const allow = [...allowed].sort().join(', ');
      res.setHeader('Allow', allow);
      next(
        new TongbanError(
          'method_not_allowed',
          `${req.method} is not allowed on ${req.path}; allowed: ${allow}`,
        ),
      );
      return;
    }
    next(new TongbanError('not_found', `No route ${req.method} ${req.path}`));
  };
}

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
