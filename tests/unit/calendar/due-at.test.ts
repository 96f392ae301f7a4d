import { calendarCoverage, dueAt } from '../../../gateway/calendar';
import { TongbanError } from '../../../gateway/errors';
import type { Sla } from '../../../gateway/calendar';

describe('dueAt', () => {
  it('minutes: Haishu answers within 30 minutes (DOMAIN.md local promises)', () => {
    expect(dueAt('2026-06-18T23:50:00+08:00', { value: 30, unit: 'minutes' })).toEqual({
      due: '2026-06-19T00:20:00+08:00',
      provisional: false,
    });
  });

  it('hours: Jinhua reviews within 24 h, holidays included', () => {
    expect(dueAt('2026-06-18T10:00:00+08:00', { value: 24, unit: 'hours' }).due).toBe(
      '2026-06-19T10:00:00+08:00',
    );
  });

  it('working days: the Shanghai date of the receipt starts the count', () => {
    // 2026-06-17T20:00Z is Thu 2026-06-18 04:00 in Shanghai: the Dragon Boat example.
    expect(dueAt('2026-06-17T20:00:00Z', { value: 3, unit: 'working_days' }).due).toBe(
      '2026-06-24',
    );
  });

  it('working days accept a bare receipt date', () => {
    expect(dueAt('2026-06-18', { value: 5, unit: 'working_days' }).due).toBe('2026-06-26');
  });

  it('calendar days ignore holidays', () => {
    expect(dueAt('2026-06-18', { value: 5, unit: 'calendar_days' })).toEqual({
      due: '2026-06-23',
      provisional: false,
    });
  });

  it('flags working days past the holiday data as provisional', () => {
    const { lastYear } = calendarCoverage();
    expect(
      dueAt(`${lastYear}-12-30T10:00:00+08:00`, { value: 2, unit: 'working_days' }).provisional,
    ).toBe(true);
  });

  describe('when the SLA or the receipt time is unusable', () => {
    it.each<[string, string, Sla]>([
      ['a bare date for minutes', '2026-06-18', { value: 30, unit: 'minutes' }],
      ['a bare date for working hours', '2026-06-18', { value: 2, unit: 'working_hours' }],
      ['a time without offset', '2026-06-18T10:00:00', { value: 1, unit: 'working_days' }],
      ['garbage', 'soon', { value: 1, unit: 'working_days' }],
      ['half a working day', '2026-06-18', { value: 1.5, unit: 'working_days' }],
      ['a zero SLA', '2026-06-18', { value: 0, unit: 'calendar_days' }],
      ['a negative SLA', '2026-06-18T10:00:00Z', { value: -5, unit: 'minutes' }],
      ['an unknown unit', '2026-06-18', { value: 1, unit: 'weeks' as never }],
    ])('refuses %s', (_label, receivedAt, sla) => {
      expect(() => dueAt(receivedAt, sla)).toThrow(TongbanError);
    });
  });
});
