/**
 * Month arithmetic for publicity periods (DOMAIN.md, Publicity periods).
 *
 * Counting starts the day after publicity starts; an N-month period ends on the corresponding
 * day N months later, clamped to the month's last day when that day does not exist; the record
 * is eligible the day after that last day. This is a calendar-day test: weekends and holidays
 * never move it.
 *   2026-05-15 + 3 months → last day 2026-08-15 → eligible 2026-08-16
 *   2025-11-30 + 3 months → last day 2026-02-28 → eligible 2026-03-01
 */
import { addDays, daysInMonth, formatIsoDate, parseIsoDate } from '../calendar/iso-date';

/** The corresponding day `months` later, clamped to the end of a shorter month. */
export function addMonthsClamped(iso: string, months: number): string {
  const p = parseIsoDate(iso);
  if (!p) throw new RangeError(`not an ISO calendar date: ${JSON.stringify(iso)}`);
  if (!Number.isInteger(months) || months < 0) throw new RangeError(`bad month count ${months}`);
  const index = p.month - 1 + months;
  const year = p.year + Math.floor(index / 12);
  const month = (index % 12) + 1;
  return formatIsoDate({ year, month, day: Math.min(p.day, daysInMonth(year, month)) });
}

/** Last day of an N-month period that starts on `start`. */
export function periodLastDay(start: string, months: number): string {
  return addMonthsClamped(start, months);
}

/**
 * First day after an N-month period. A zero-month period (the minor tier's "no minimum") has
 * nothing to wait for: the record qualifies from the start date itself.
 */
export function dayAfterPeriod(start: string, months: number): string {
  return months === 0 ? start : addDays(periodLastDay(start, months), 1);
}
