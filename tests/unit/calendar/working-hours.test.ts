import { dueAt, DEFAULT_OFFICE_HOURS } from '../../../gateway/calendar';
import { TongbanError } from '../../../gateway/errors';

const hours = (value: number) => ({ value, unit: 'working_hours' as const });

// Office hours are an assumption (docs/rules.md): 09:00–12:00 and 13:30–17:30 Asia/Shanghai.
describe('working hours', () => {
  it('defaults to 09:00–12:00 and 13:30–17:30', () => {
    expect(DEFAULT_OFFICE_HOURS).toEqual([
      { start: '09:00', end: '12:00' },
      { start: '13:30', end: '17:30' },
    ]);
  });

  it('counts inside one morning', () => {
    expect(dueAt('2026-06-18T09:15:00+08:00', hours(2)).due).toBe('2026-06-18T11:15:00+08:00');
  });

  it('stops at a closing time rather than jumping to the next opening', () => {
    expect(dueAt('2026-06-18T11:00:00+08:00', hours(1)).due).toBe('2026-06-18T12:00:00+08:00');
  });

  it('skips the lunch break', () => {
    expect(dueAt('2026-06-18T11:30:00+08:00', hours(1)).due).toBe('2026-06-18T14:00:00+08:00');
  });

  it('starts the clock at the next opening when received before hours', () => {
    expect(dueAt('2026-06-18T07:00:00+08:00', hours(1)).due).toBe('2026-06-18T10:00:00+08:00');
  });

  it('reads a UTC receipt on the Shanghai clock', () => {
    expect(dueAt('2026-06-18T01:00:00Z', hours(1)).due).toBe('2026-06-18T10:00:00+08:00');
  });

  it('skips the Dragon Boat holiday: Thu 16:30 + 3 h is Mon 11:00', () => {
    expect(dueAt('2026-06-18T16:30:00+08:00', hours(3))).toEqual({
      due: '2026-06-22T11:00:00+08:00',
      provisional: false,
    });
  });

  it('counts the Spring Festival make-up Saturday 2026-02-14', () => {
    expect(dueAt('2026-02-13T16:00:00+08:00', hours(8)).due).toBe('2026-02-14T17:00:00+08:00');
  });

  it('takes a city’s own office hours', () => {
    const summer = [
      { start: '08:30', end: '12:00' },
      { start: '14:30', end: '18:00' },
    ];
    expect(dueAt('2026-06-18T11:30:00+08:00', hours(1), { officeHours: summer }).due).toBe(
      '2026-06-18T15:00:00+08:00',
    );
  });

  describe('when the office hours are malformed', () => {
    it.each([
      [[]],
      [[{ start: '9:00', end: '12:00' }]],
      [[{ start: '12:00', end: '09:00' }]],
      [
        [
          { start: '13:30', end: '17:30' },
          { start: '09:00', end: '12:00' },
        ],
      ],
      [
        [
          { start: '09:00', end: '12:00' },
          { start: '11:00', end: '17:30' },
        ],
      ],
    ])('refuses %j', (officeHours) => {
      expect(() => dueAt('2026-06-18T09:00:00+08:00', hours(1), { officeHours })).toThrow(
        TongbanError,
      );
    });
  });
});
