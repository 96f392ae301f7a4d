/**
 * The statutory calendar as published by `chinese-days` (dist/chinese-days.json): holidays
 * and make-up working days (调休) keyed by ISO date, built by the package from the State
 * Council announcements.
 *
 * Why the JSON and not the package's isWorkday(): the package builds its lookup tables at
 * import time with host-local Date arithmetic, so on a host west of UTC every entry lands one
 * day early (2026-02-14, a make-up Saturday, came out as a holiday under America/Los_Angeles).
 * The JSON is the same data, prebuilt and independent of the host zone. Loaded and checked once.
 */
import data from 'chinese-days/dist/chinese-days.json';
import { isIsoDate } from './iso-date';

export interface HolidayData {
  /** Statutory holidays (放假), weekends inside a break included. */
  readonly holidays: ReadonlySet<string>;
  /** Make-up working days (调休上班), mostly Saturdays and Sundays. */
  readonly workdays: ReadonlySet<string>;
}

/** Treat the package file as external input: a malformed release must fail loudly, not shift deadlines. */
export function parseHolidayData(raw: unknown): HolidayData {
  const table = (name: 'holidays' | 'workdays'): ReadonlySet<string> => {
    const value = (raw as Record<string, unknown> | null)?.[name];
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new Error(`chinese-days data: "${name}" is not an object keyed by date`);
    }
    const keys = Object.keys(value);
    const bad = keys.find((k) => !isIsoDate(k));
    if (bad !== undefined) throw new Error(`chinese-days data: "${name}" has a bad date ${bad}`);
    return new Set(keys);
  };
  const parsed = { holidays: table('holidays'), workdays: table('workdays') };
  const both = [...parsed.workdays].find((d) => parsed.holidays.has(d));
  if (both !== undefined) throw new Error(`chinese-days data: ${both} is both holiday and workday`);
  return Object.freeze(parsed);
}

let cached: HolidayData | undefined;

export function holidayData(): HolidayData {
  cached ??= parseHolidayData(data);
  return cached;
}
