import { addMonthsClamped, dayAfterPeriod, periodLastDay } from '../../../gateway/rules';

// DOMAIN.md, Publicity periods: month arithmetic.
describe('periods in months', () => {
  it('2026-05-15 + 3 months: last day 2026-08-15, eligible 2026-08-16 (DOMAIN example)', () => {
    expect(periodLastDay('2026-05-15', 3)).toBe('2026-08-15');
    expect(dayAfterPeriod('2026-05-15', 3)).toBe('2026-08-16');
  });

  it('2025-11-30 + 3 months: last day 2026-02-28, eligible 2026-03-01 (DOMAIN example)', () => {
    expect(periodLastDay('2025-11-30', 3)).toBe('2026-02-28');
    expect(dayAfterPeriod('2025-11-30', 3)).toBe('2026-03-01');
  });

  it.each([
    ['2026-01-31', 1, '2026-02-28', 'Jan 31 + 1 month clamps to Feb 28'],
    ['2028-01-31', 1, '2028-02-29', 'Jan 31 + 1 month in a leap year'],
    ['2028-02-29', 12, '2029-02-28', 'leap day + 12 months'],
    ['2028-02-29', 36, '2031-02-28', 'leap day + 36 months'],
    ['2028-02-29', 48, '2032-02-29', 'leap day + 48 months lands on a leap day'],
    ['2026-03-31', 3, '2026-06-30', 'Mar 31 + 3 months clamps to Jun 30'],
    ['2026-10-31', 3, '2027-01-31', 'across the year end'],
    ['2026-12-15', 12, '2027-12-15', 'whole year'],
  ])('%s + %i months → %s (%s)', (start, months, last) => {
    expect(addMonthsClamped(start, months)).toBe(last);
  });

  it('the day after a clamped leap-year end is 1 March', () => {
    expect(dayAfterPeriod('2028-02-29', 12)).toBe('2029-03-01');
    expect(dayAfterPeriod('2027-11-30', 3)).toBe('2028-03-01');
  });

  it('a zero-month period (minor tier) qualifies from the start date itself', () => {
    expect(dayAfterPeriod('2026-05-15', 0)).toBe('2026-05-15');
  });

  describe('when the input is not a date', () => {
    it.each(['2026-02-30', '2026-5-1', ''])('throws for %p', (bad) => {
      expect(() => addMonthsClamped(bad, 1)).toThrow(RangeError);
    });
  });
});
