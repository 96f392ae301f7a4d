import pino, { type Logger } from 'pino';

/**
 * Paths that may carry personal ID numbers, tokens or keys. pino replaces their values before
 * a line is written (docs/operations.md lists them).
 */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers["tongban-signature"]',
  '*.idNumber',
  '*.*.idNumber',
  'applicant.idNumber',
  '*.privateKey',
  '*.d',
  '*.token',
  '*.password',
];

/** 18-character PRC resident ID numbers (GB 11643): masked even inside free text. */
const ID_NUMBER = /\b\d{6}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx]\b/g;

export function maskIdNumbers(s: string): string {
  return s.replace(ID_NUMBER, (m) => `${m.slice(0, 3)}***********${m.slice(-2)}`.slice(0, 18));
}

export function createLogger(
  opts: { level?: string; city?: string; destination?: pino.DestinationStream } = {},
): Logger {
  return pino(
    {
      level: opts.level ?? 'info',
      base: opts.city ? { city: opts.city } : {},
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      hooks: {
        logMethod(args, method) {
          const masked = args.map((a) =>
            typeof a === 'string' ? maskIdNumbers(a) : a,
          ) as typeof args;
          method.apply(this, masked);
        },
      },
    },
    opts.destination,
  );
}
