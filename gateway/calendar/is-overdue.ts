/**
 * Is a deadline passed? A date deadline (day-based SLA) runs to the end of that day in
 * Asia/Shanghai, so it is overdue only from the next day on; a date-time deadline is overdue
 * once `now` is after it.
 */
import { TongbanError } from '../errors';
import { compareIsoDates, isIsoDate } from './iso-date';
import { parseInstant, shanghaiDateOf } from './shanghai-time';

export function isOverdue(due: string, now: Date | string = new Date()): boolean {
  const nowMs = typeof now === 'string' ? parseInstant(now) : now.getTime();
  if (nowMs === undefined || Number.isNaN(nowMs)) {
    throw new TongbanError(
      'invalid_parameter',
      `now is not a date-time with offset: ${String(now)}`,
    );
  }
  if (isIsoDate(due)) return compareIsoDates(shanghaiDateOf(nowMs), due) > 0;
  const dueMs = parseInstant(due);
  if (dueMs === undefined) {
    throw new TongbanError('invalid_parameter', `due is not an ISO date or date-time: ${due}`);
  }
  return nowMs > dueMs;
}
