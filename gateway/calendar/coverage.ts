/**
 * Which years the installed `chinese-days` data covers.
 *
 * The State Council announces each year's holidays and make-up working weekends (调休) late in
 * the previous year, and the package ships them as they come. Past the covered years only
 * Monday–Friday is known, which DOMAIN.md forbids passing off as final: such deadlines are
 * flagged provisional. So we read the years off the package data at load time instead of
 * hard-coding one that would go stale with the next package update.
 */
import { holidayData } from './holiday-data';

export interface CalendarCoverage {
  readonly firstYear: number;
  readonly lastYear: number;
}

/**
 * A year counts as covered when the data lists a statutory holiday in it. Entries of year Y
 * only come from year Y's announcement (a New Year break may reach back into December, never
 * forward into the next year), so one entry means the whole year was announced. Coverage ends
 * at the first gap after it began: a gap can only make us more cautious.
 */
export function coverageOf(holidayDates: Iterable<string>): CalendarCoverage {
  const years = new Set<number>();
  for (const d of holidayDates) years.add(Number(d.slice(0, 4)));
  if (years.size === 0) throw new Error('chinese-days data: no holidays at all');
  const firstYear = Math.min(...years);
  let lastYear = firstYear;
  while (years.has(lastYear + 1)) lastYear++;
  return Object.freeze({ firstYear, lastYear });
}

let cached: CalendarCoverage | undefined;

export function calendarCoverage(): CalendarCoverage {
  cached ??= coverageOf(holidayData().holidays);
  return cached;
}

export function isCoveredYear(year: number): boolean {
  const { firstYear, lastYear } = calendarCoverage();
  return year >= firstYear && year <= lastYear;
}
