/**
 * ISO calendar dates (`YYYY-MM-DD`) as plain strings, with arithmetic done on UTC day numbers.
 * Why: the rules are calendar-day tests in the Asia/Shanghai calendar; going through local-time
 * `Date` objects would shift a day whenever the host runs in another time zone.
 */

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MS_PER_DAY = 86_400_000;

export interface DateParts {
  year: number;
  month: number; // 1..12
  day: number; // 1..31
}

/** Parse a strict `YYYY-MM-DD` string; `undefined` for anything else, including 2026-02-30. */
export function parseIsoDate(value: unknown): DateParts | undefined {
  if (typeof value !== 'string') return undefined;
  const m = ISO_DATE.exec(value);
  if (!m) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    return undefined;
  }
  return { year, month, day };
}

export function isIsoDate(value: unknown): value is string {
  return parseIsoDate(value) !== undefined;
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

export function formatIsoDate({ year, month, day }: DateParts): string {
  return `${String(year).padStart(4, '0')}-${pad2(month)}-${pad2(day)}`;
}

/** Days since 1970-01-01; callers must pass a valid date (use parseIsoDate at the boundary). */
export function dayNumber(iso: string): number {
  const p = mustParse(iso);
  return Date.UTC(p.year, p.month - 1, p.day) / MS_PER_DAY;
}

export function fromDayNumber(n: number): string {
  const d = new Date(n * MS_PER_DAY);
  return formatIsoDate({
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
  });
}

export function addDays(iso: string, n: number): string {
  return fromDayNumber(dayNumber(iso) + n);
}

/** 0 = Sunday … 6 = Saturday. */
export function weekdayOf(iso: string): number {
  return new Date(dayNumber(iso) * MS_PER_DAY).getUTCDay();
}

/** Negative, zero or positive, like a comparator. ISO dates also compare as strings. */
export function compareIsoDates(a: string, b: string): number {
  return dayNumber(a) - dayNumber(b);
}

export function yearOf(iso: string): number {
  return mustParse(iso).year;
}

function mustParse(iso: string): DateParts {
  const p = parseIsoDate(iso);
  if (!p) throw new RangeError(`not an ISO calendar date: ${JSON.stringify(iso)}`);
  return p;
}

export function pad2(n: number): string {
  return String(n).padStart(2, '0');
}
