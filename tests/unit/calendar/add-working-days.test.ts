import { addWorkingDays, calendarCoverage, isWorkingDay } from '../../../gateway/calendar';
import { TongbanError } from '../../../gateway/errors';

// DOMAIN.md, Outcomes and time limits: the day of receipt does not count; "within N working
// days" ends on the Nth working day after it. Holidays: State Council announcements for 2026
// as shipped in chinese-days.
describe('addWorkingDays', () => {
  it('Dragon Boat 2026: received Thu 2026-06-18, 3 WD due Wed 2026-06-24 (DOMAIN example)', () => {
    expect(addWorkingDays('2026-06-18', 3)).toEqual({ due: '2026-06-24', provisional: false });
  });

  it('national 10-WD feedback from 2026-06-18 is due 2026-07-03', () => {
    expect(addWorkingDays('2026-06-18', 10).due).toBe('2026-07-03');
  });

  it('a plain week: received Mon 2026-03-02, 3 WD due Thu 2026-03-05', () => {
    expect(addWorkingDays('2026-03-02', 3).due).toBe('2026-03-05');
  });

  it('receipt on a Friday skips the weekend', () => {
    expect(addWorkingDays('2026-03-06', 1).due).toBe('2026-03-09');
  });

  describe('Spring Festival 2026 (holiday 02-15..02-23, make-up Saturdays 02-14 and 02-28)', () => {
    it('counts the make-up Saturday 2026-02-14 as a working day', () => {
      expect(isWorkingDay('2026-02-14')).toEqual({ working: true, provisional: false });
      expect(addWorkingDays('2026-02-13', 1).due).toBe('2026-02-14');
    });

    it('jumps the whole break: received Fri 2026-02-13, 3 WD due Wed 2026-02-25', () => {
      expect(addWorkingDays('2026-02-13', 3).due).toBe('2026-02-25');
    });

    it('a receipt on the make-up Saturday does not count either', () => {
      expect(addWorkingDays('2026-02-14', 1).due).toBe('2026-02-24');
    });

    it('treats a weekday inside the break as a holiday', () => {
      expect(isWorkingDay('2026-02-18').working).toBe(false);
    });
  });

  describe('National Day 2026 (holiday 10-01..10-07, make-up Saturday 10-10)', () => {
    it('received Wed 2026-09-30, 3 WD due Sat 2026-10-10 (make-up day)', () => {
      expect(addWorkingDays('2026-09-30', 3)).toEqual({ due: '2026-10-10', provisional: false });
    });

    it('counts 2026-10-10 as a working day', () => {
      expect(isWorkingDay('2026-10-10').working).toBe(true);
    });
  });

  it('returns the receipt date itself for 0 working days', () => {
    expect(addWorkingDays('2026-06-20', 0).due).toBe('2026-06-20');
  });

  describe('when the deadline reaches past the holiday data', () => {
    const { lastYear } = calendarCoverage();

    it('flags it provisional and still counts Monday–Friday', () => {
      const received = `${lastYear + 1}-03-02`;
      const result = addWorkingDays(received, 5);
      expect(result.provisional).toBe(true);
      expect(isWorkingDay(result.due).working).toBe(true);
    });

    it('flags a deadline that crosses into the next year', () => {
      expect(addWorkingDays(`${lastYear}-12-28`, 10).provisional).toBe(true);
    });

    it('does not flag a deadline inside the last covered year', () => {
      expect(addWorkingDays(`${lastYear}-06-01`, 3).provisional).toBe(false);
    });
  });

  describe('when the arguments are bad', () => {
    it.each([
      ['2026-02-30', 3],
      ['2026-06-18', -1],
      ['2026-06-18', 1.5],
      ['2026-06-18', 100_000],
    ])('refuses (%p, %p) with invalid_parameter', (date, n) => {
      expect(() => addWorkingDays(date, n)).toThrow(TongbanError);
    });
  });
});
