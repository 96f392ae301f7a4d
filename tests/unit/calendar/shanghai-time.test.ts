import {
  formatShanghaiDateTime,
  parseInstant,
  shanghaiDateOf,
  todayInShanghai,
} from '../../../gateway/calendar';

describe('Asia/Shanghai time', () => {
  it('parses RFC 3339 date-times with Z or an offset', () => {
    const utc = Date.UTC(2026, 5, 18, 1, 0, 0);
    expect(parseInstant('2026-06-18T01:00:00Z')).toBe(utc);
    expect(parseInstant('2026-06-18T09:00:00+08:00')).toBe(utc);
    expect(parseInstant('2026-06-17T21:00:00.000-04:00')).toBe(utc);
    expect(parseInstant('2026-06-18T09:00+08:00')).toBe(utc);
  });

  it('reads the Shanghai calendar date of an instant (UTC+8, no DST)', () => {
    expect(shanghaiDateOf(Date.UTC(2026, 5, 17, 15, 59))).toBe('2026-06-17');
    expect(shanghaiDateOf(Date.UTC(2026, 5, 17, 16, 0))).toBe('2026-06-18');
    expect(todayInShanghai(new Date('2026-12-31T16:00:00Z'))).toBe('2027-01-01');
  });

  it('formats an instant on the Shanghai clock', () => {
    expect(formatShanghaiDateTime(Date.UTC(2026, 5, 18, 1, 30, 5))).toBe(
      '2026-06-18T09:30:05+08:00',
    );
  });

  describe('when the date-time is incomplete or invalid', () => {
    it.each([
      '2026-06-18T09:00:00',
      '2026-06-18',
      '2026-06-18T24:00:00Z',
      '2026-02-30T09:00:00Z',
      '2026-06-18T09:00:00+25:00',
      '18/06/2026 09:00',
      42,
    ])('rejects %p', (value) => {
      expect(parseInstant(value)).toBeUndefined();
    });
  });
});
