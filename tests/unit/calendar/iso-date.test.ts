import {
  addDays,
  compareIsoDates,
  isIsoDate,
  parseIsoDate,
  weekdayOf,
} from '../../../gateway/calendar';

describe('ISO dates', () => {
  it('parses a valid date', () => {
    expect(parseIsoDate('2028-02-29')).toEqual({ year: 2028, month: 2, day: 29 });
  });

  it('adds days across month, year and leap-day boundaries', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
  });

  it('knows the weekday (0 = Sunday)', () => {
    expect(weekdayOf('2026-06-18')).toBe(4);
    expect(weekdayOf('2026-10-10')).toBe(6);
  });

  it('compares dates', () => {
    expect(compareIsoDates('2026-01-02', '2026-01-01')).toBe(1);
    expect(compareIsoDates('2025-12-31', '2026-01-01')).toBeLessThan(0);
  });

  describe('when the text is not a calendar date', () => {
    it.each([
      '2026-02-29',
      '2026-13-01',
      '2026-00-10',
      '2026-6-1',
      '2026-06-18T00:00:00Z',
      '',
      20260618,
      null,
    ])('rejects %p', (value) => {
      expect(isIsoDate(value)).toBe(false);
    });
  });
});
