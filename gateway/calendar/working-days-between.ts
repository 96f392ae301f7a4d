/**
 * Working days from `from` to `to` for countdowns, counted like addWorkingDays: `from` itself
 * does not count, `to` does. So workingDaysBetween(d, addWorkingDays(d, n).due) is n.
 * Negative when `to` is before `from` (a deadline already behind us).
 */
import { TongbanError } from '../errors';
import { addDays, compareIsoDates, isIsoDate } from './iso-date';
import { isWorkingDay } from './is-working-day';

/** About ten years of days: a countdown never needs more, and the loop stays bounded. */
export const MAX_SPAN_DAYS = 3_700;

export interface WorkingDayCount {
  days: number;
  provisional: boolean;
}

export function workingDaysBetween(from: string, to: string): WorkingDayCount {
  for (const [name, value] of [
    ['from', from],
    ['to', to],
  ] as const) {
    if (!isIsoDate(value)) {
      throw new TongbanError('invalid_parameter', `${name} is not an ISO calendar date: ${value}`);
    }
  }
  const sign = Math.sign(compareIsoDates(to, from));
  const [start, end] = sign < 0 ? [to, from] : [from, to];
  if (compareIsoDates(end, start) > MAX_SPAN_DAYS) {
    throw new TongbanError('invalid_parameter', `span over ${MAX_SPAN_DAYS} days: ${from}..${to}`);
  }
  let days = 0;
  let provisional = isWorkingDay(start).provisional;
  for (let day = addDays(start, 1); compareIsoDates(day, end) <= 0; day = addDays(day, 1)) {
    const answer = isWorkingDay(day);
    provisional ||= answer.provisional;
    if (answer.working) days++;
  }
  return { days: sign < 0 ? -days : days, provisional };
}
