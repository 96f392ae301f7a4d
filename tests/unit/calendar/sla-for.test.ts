import { calendarCoverage, NATIONAL_SLA, slaFor } from '../../../gateway/calendar';

// National: decide within 3 WD, feedback within 10 WD (DOMAIN.md, Outcomes and time limits).
describe('slaFor', () => {
  it('applies the national defaults without a city config', () => {
    expect(NATIONAL_SLA).toEqual({
      decide: { value: 3, unit: 'working_days' },
      feedback: { value: 10, unit: 'working_days' },
    });
    expect(slaFor('2026-06-18')).toEqual({
      acknowledgeDue: null,
      decisionDue: '2026-06-24',
      feedbackDue: '2026-07-03',
      provisional: false,
      basis: { decision: 'national', feedback: 'national' },
    });
  });

  it('uses the city’s own promises when configured (Hangzhou: 30 min ack, 2 WD decision)', () => {
    const hangzhou = {
      acknowledge: { value: 30, unit: 'minutes' as const },
      decide: { value: 2, unit: 'working_days' as const },
    };
    expect(slaFor('2026-06-18T10:00:00+08:00', hangzhou)).toEqual({
      acknowledgeDue: '2026-06-18T10:30:00+08:00',
      decisionDue: '2026-06-23',
      feedbackDue: '2026-07-03',
      provisional: false,
      basis: { decision: 'city', feedback: 'national' },
    });
  });

  it('Haikou: decision within 5 working days', () => {
    expect(slaFor('2026-06-18', { decide: { value: 5, unit: 'working_days' } }).decisionDue).toBe(
      '2026-06-26',
    );
  });

  it('National Day: received 2026-09-30, decision due on the make-up Saturday 2026-10-10', () => {
    expect(slaFor('2026-09-30').decisionDue).toBe('2026-10-10');
  });

  it('Spring Festival: received 2026-02-13, decision due 2026-02-25', () => {
    expect(slaFor('2026-02-13').decisionDue).toBe('2026-02-25');
  });

  describe('when a deadline runs past the holiday data', () => {
    it('flags the whole set provisional', () => {
      const { lastYear } = calendarCoverage();
      expect(slaFor(`${lastYear}-12-24`).provisional).toBe(true);
    });
  });
});
