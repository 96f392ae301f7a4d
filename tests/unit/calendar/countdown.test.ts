import {
  addWorkingDays,
  calendarCoverage,
  isOverdue,
  workingDaysBetween,
} from '../../../gateway/calendar';
import { TongbanError } from '../../../gateway/errors';

describe('isOverdue', () => {
  it('a date deadline lasts to the end of that day in Shanghai', () => {
    expect(isOverdue('2026-06-24', '2026-06-24T23:59:59+08:00')).toBe(false);
    expect(isOverdue('2026-06-24', '2026-06-24T16:00:00Z')).toBe(true);
  });

  it('a date-time deadline is overdue once passed', () => {
    expect(isOverdue('2026-06-18T10:30:00+08:00', '2026-06-18T10:30:00+08:00')).toBe(false);
    expect(isOverdue('2026-06-18T10:30:00+08:00', new Date('2026-06-18T02:30:01Z'))).toBe(true);
  });

  describe('when the inputs are not dates', () => {
    it.each([
      ['tomorrow', '2026-06-18T10:00:00Z'],
      ['2026-06-24', 'now'],
      ['2026-06-24', new Date('invalid')],
    ])('refuses (%p, %p)', (due, now) => {
      expect(() => isOverdue(due, now)).toThrow(TongbanError);
    });
  });
});

describe('workingDaysBetween', () => {
  it('counts like addWorkingDays: the first day excluded, the last included', () => {
    expect(workingDaysBetween('2026-06-18', '2026-06-24')).toEqual({ days: 3, provisional: false });
  });

  it.each([
    ['2026-06-18', 10],
    ['2026-02-13', 3],
    ['2026-09-30', 5],
  ])('inverts addWorkingDays from %s for %i days', (from, n) => {
    expect(workingDaysBetween(from, addWorkingDays(from, n).due).days).toBe(n);
  });

  it('is negative for a deadline already behind us', () => {
    expect(workingDaysBetween('2026-06-24', '2026-06-18').days).toBe(-3);
  });

  it('is zero for the same day or across a holiday with no working day', () => {
    expect(workingDaysBetween('2026-06-18', '2026-06-18').days).toBe(0);
    expect(workingDaysBetween('2026-06-18', '2026-06-21').days).toBe(0);
  });

  describe('when the span leaves the holiday data', () => {
    it('flags the count provisional', () => {
      const { lastYear } = calendarCoverage();
      expect(workingDaysBetween(`${lastYear}-12-20`, `${lastYear + 1}-01-10`).provisional).toBe(
        true,
      );
    });
  });

  describe('when the arguments are bad', () => {
    it.each([
      ['2026-06-18', '2026-06-31'],
      ['2026-06-18', '2046-06-18'],
    ])('refuses (%p, %p)', (from, to) => {
      expect(() => workingDaysBetween(from, to)).toThrow(TongbanError);
    });
  });
});
