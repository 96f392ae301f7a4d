import {
  calendarCoverage,
  coverageOf,
  isWorkingDay,
  parseHolidayData,
} from '../../../gateway/calendar';

describe('calendarCoverage', () => {
  it('reads the covered years off the package data (2026 is announced)', () => {
    const { firstYear, lastYear } = calendarCoverage();
    expect(firstYear).toBeLessThanOrEqual(2025);
    expect(lastYear).toBeGreaterThanOrEqual(2026);
  });

  it('is provisional exactly past the last covered year', () => {
    const { lastYear } = calendarCoverage();
    expect(isWorkingDay(`${lastYear}-12-31`).provisional).toBe(false);
    expect(isWorkingDay(`${lastYear + 1}-01-01`).provisional).toBe(true);
  });

  it('applies Monday–Friday past the data (even on a future New Year holiday)', () => {
    const { lastYear } = calendarCoverage();
    const jan4 = `${lastYear + 1}-01-04`;
    const weekday = new Date(`${jan4}T00:00:00Z`).getUTCDay();
    expect(isWorkingDay(jan4).working).toBe(weekday >= 1 && weekday <= 5);
  });
});

describe('coverageOf', () => {
  it('spans the first to the last year with holidays', () => {
    expect(coverageOf(['2024-01-01', '2025-10-01', '2026-02-17'])).toEqual({
      firstYear: 2024,
      lastYear: 2026,
    });
  });

  describe('when the data has a gap or nothing', () => {
    it('stops at the first missing year (cautious)', () => {
      expect(coverageOf(['2024-10-01', '2026-10-01']).lastYear).toBe(2024);
    });

    it('throws on empty data', () => {
      expect(() => coverageOf([])).toThrow(/no holidays/);
    });
  });
});

describe('parseHolidayData', () => {
  it('accepts the package shape', () => {
    const data = parseHolidayData({
      holidays: { '2026-10-01': 'National Day' },
      workdays: { '2026-10-10': 'x' },
    });
    expect(data.workdays.has('2026-10-10')).toBe(true);
  });

  describe('when the package data is malformed', () => {
    it.each([
      ['no tables', {}],
      ['a list instead of a table', { holidays: [], workdays: {} }],
      ['a bad date key', { holidays: { '2026-13-01': 'x' }, workdays: {} }],
      [
        'a day both off and on',
        { holidays: { '2026-10-10': 'x' }, workdays: { '2026-10-10': 'y' } },
      ],
    ])('refuses %s', (_label, raw) => {
      expect(() => parseHolidayData(raw)).toThrow(/chinese-days data/);
    });
  });
});
