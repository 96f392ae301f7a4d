/**
 * "Within N working days" (DOMAIN.md, Outcomes and time limits): the day of receipt does not
 * count; the deadline is the Nth working day after it. Example: received Thu 2026-06-18, with
 * 2026-06-19..21 the Dragon Boat holiday, 3 working days are due Wed 2026-06-24.
 */
import { TongbanError } from '../errors';
import { addDays, isIsoDate } from './iso-date';
import { isWorkingDay } from './is-working-day';
import type { DueResult } from './types';

/** Generous bound on N, so a bad config cannot spin the loop for ever. */
export const MAX_WORKING_DAYS = 2_000;

export function addWorkingDays(received: string, n: number): DueResult {
  if (!isIsoDate(received)) {
    throw new TongbanError('invalid_parameter', `not an ISO calendar date: ${received}`);
  }
  if (!Number.isInteger(n) || n < 0 || n > MAX_WORKING_DAYS) {
    throw new TongbanError(
      'invalid_parameter',
      `working days must be a whole number from 0 to ${MAX_WORKING_DAYS}, got ${n}`,
    );
  }
  // A receipt date outside the data already makes the clock's start uncertain.
  let provisional = isWorkingDay(received).provisional;
  let day = received;
  for (let counted = 0; counted < n;) {
    day = addDays(day, 1);
    const answer = isWorkingDay(day);
    provisional ||= answer.provisional;
    if (answer.working) counted++;
  }
  return { due: day, provisional };
}
