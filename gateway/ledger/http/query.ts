import type { Request } from 'express';
import { TongbanError } from '../../errors';

/**
 * A required non-negative integer query parameter. The query is attacker-controlled: only a
 * plain decimal string is accepted (no signs, exponents, hex, blanks or repeats), and numbers
 * beyond 2^53 are out of the ledger's range rather than silently rounded.
 */
export function countParam(req: Request, name: string): number {
  const pointer = `/query/${name}`;
  const v: unknown = (req.query as Record<string, unknown>)[name];
  if (v === undefined)
    throw new TongbanError('invalid_parameter', `query parameter ${name} is required`, { pointer });
  if (typeof v !== 'string' || !/^(?:0|[1-9][0-9]*)$/.test(v)) {
    throw new TongbanError(
      'invalid_parameter',
      `query parameter ${name} must be a non-negative decimal integer`,
      { pointer },
    );
  }
  const n = v.length <= 16 ? Number(v) : Number.NaN;
  if (!Number.isSafeInteger(n))
    throw new TongbanError('ledger_range', `${name} is beyond any ledger size`, { pointer });
  return n;
}
