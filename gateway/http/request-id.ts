import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { Logger } from 'pino';

declare module 'express-serve-static-core' {
  interface Request {
    id: string;
  }
}

const HEADER = 'x-request-id';
const SAFE = /^[A-Za-z0-9._:-]{1,128}$/;

/** Accept a caller's request id (when it is safe to log) or mint one; echo it back. */
export function requestId(log: Logger): RequestHandler {
  return (req, res, next) => {
    const given = req.get(HEADER);
    req.id = given && SAFE.test(given) ? given : randomUUID();
    res.setHeader(HEADER, req.id);
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      // path only: query strings may carry search terms such as a company code
      log.debug(
        { reqId: req.id, method: req.method, path: req.path, status: res.statusCode, ms },
        'request',
      );
    });
    next();
  };
}
