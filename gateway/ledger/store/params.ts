import { TongbanError } from '../../errors';

/**
 * Index and size arguments share their names with the HTTP query parameters, so a bad value
 * is reported with the pointer a client understands ('/query/index', '/query/size', ...).
 */
export function rangeError(name: string, message: string): TongbanError {
  return new TongbanError('ledger_range', message, { pointer: `/query/${name}` });
}

/** A non-negative safe integer, or a ledger_range error naming the parameter. */
export function checkCount(name: string, v: number): number {
  if (!Number.isSafeInteger(v) || v < 0)
    throw rangeError(name, `${name} must be a non-negative integer`);
  return v;
}
