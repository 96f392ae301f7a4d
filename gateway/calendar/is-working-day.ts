/**
 * Is a calendar date a working day (工作日)? Monday–Friday, minus statutory holidays, plus the
 * announced make-up working weekends (调休): the same rule as chinese-days' isWorkday, applied
 * to its data without the host-zone dependence (see holiday-data.ts).
 */
import { isCoveredYear } from './coverage';
import { holidayData } from './holiday-data';
import { parseIsoDate, weekdayOf } from './iso-date';

export interface WorkingDayAnswer {
  working: boolean;
  /** True when the year is outside the package data: only Monday–Friday was applied. */
  provisional: boolean;
}

export function isWorkingDay(iso: string): WorkingDayAnswer {
  const p = parseIsoDate(iso);
  if (!p) throw new RangeError(`not an ISO calendar date: ${JSON.stringify(iso)}`);
  const weekday = weekdayOf(iso);
  const mondayToFriday = weekday >= 1 && weekday <= 5;
  if (!isCoveredYear(p.year)) return { working: mondayToFriday, provisional: true };
  const { holidays, workdays } = holidayData();
  const working = workdays.has(iso) || (mondayToFriday && !holidays.has(iso));
  return { working, provisional: false };
}
