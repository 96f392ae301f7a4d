import { assessRecords } from '../../../../gateway/rules';
import { penalty, request } from '../fixtures';

const assessOne = (...args: Parameters<typeof request>) => {
  const [result] = assessRecords(request(...args)).results;
  if (!result) throw new Error('no result');
  return result;
};

// DOMAIN.md, Publicity periods: the minimum period is a calendar-day test from the publicity start.
describe('ordinary tier, publicity from 2026-05-15 (DOMAIN example)', () => {
  const record = penalty({ publicityStartDate: '2026-05-15' });

  it('is not yet eligible the day before, with the date it becomes eligible', () => {
    expect(assessOne([record], '2026-08-15')).toMatchObject({
      outcome: 'not_yet_eligible',
      eligibleFrom: '2026-08-16',
      tier: 'ordinary',
      rule: 'cn-2026-04/period.ordinary.min',
    });
  });

  it.each(['2026-08-16', '2026-08-17'])('is eligible on %s', (date) => {
    expect(assessOne([record], date)).toMatchObject({
      outcome: 'eligible_now',
      eligibleFrom: '2026-08-16',
    });
  });

  it('runs its maximum publicity to 2027-05-15', () => {
    expect(assessOne([record], '2026-08-16').publicityEndsOn).toBe('2027-05-15');
  });
});

describe('ordinary tier, publicity from 2025-11-30 (DOMAIN example)', () => {
  it('became eligible on 2026-03-01 (period clamped to 28 February)', () => {
    const record = penalty({
      decisionDate: '2025-11-25',
      publicityStartDate: '2025-11-30',
      finePaidDate: '2025-12-01',
    });
    expect(assessOne([record], '2026-04-02', { rulesVersion: 'cn-2026-04' })).toMatchObject({
      outcome: 'eligible_now',
      eligibleFrom: '2026-03-01',
    });
  });
});

describe('minor tier', () => {
  const minor = penalty({
    severity: 'minor',
    measures: [{ type: 'warning' }],
    fineCny: 0,
    finePaidDate: null,
  });

  it('is repairable at once when obligations are fulfilled (no minimum period)', () => {
    expect(assessOne([minor], '2026-05-15')).toMatchObject({
      outcome: 'eligible_now',
      eligibleFrom: '2026-05-15',
      tier: 'minor',
      publicityEndsOn: '2026-08-15',
      rule: 'cn-2026-04/period.minor.min',
    });
  });

  it('counts a simplified-procedure fine as minor', () => {
    const fine = penalty({
      severity: 'minor',
      measures: [{ type: 'fine' }],
      fineCny: 200,
      finePaidDate: '2026-05-16',
    });
    expect(assessOne([fine], '2026-05-16')).toMatchObject({
      outcome: 'eligible_now',
      tier: 'minor',
    });
  });

  describe('when publicity has not started yet', () => {
    it('is not yet eligible, from the start date', () => {
      expect(assessOne([minor], '2026-05-14')).toMatchObject({
        outcome: 'not_yet_eligible',
        eligibleFrom: '2026-05-15',
      });
    });
  });
});

describe('serious tier (transport, no sector bar)', () => {
  const serious = penalty({
    sector: 'transport',
    measures: [{ type: 'fine' }, { type: 'business_suspension' }],
  });

  it('takes the most severe measure and waits 12 months', () => {
    expect(assessOne([serious], '2027-05-15')).toMatchObject({
      outcome: 'not_yet_eligible',
      tier: 'serious',
      eligibleFrom: '2027-05-16',
      publicityEndsOn: '2029-05-15',
    });
    expect(assessOne([serious], '2027-05-16').outcome).toBe('eligible_now');
  });
});

describe('auto-expiry at the end of the maximum period', () => {
  const record = penalty();

  it('is still repairable on the last day of publicity', () => {
    expect(assessOne([record], '2027-05-15').outcome).toBe('eligible_now');
  });

  it('expires by itself the day after when obligations are met', () => {
    expect(assessOne([record], '2027-05-16')).toMatchObject({
      outcome: 'auto_expired',
      eligibleFrom: null,
      rule: 'cn-2026-04/period.ordinary.max',
    });
  });

  it('expires even where a sector bar applies (the full period has run)', () => {
    const barred = penalty({ measures: [{ type: 'licence_revocation' }] });
    expect(assessOne([barred], '2029-05-16').outcome).toBe('auto_expired');
  });

  describe('when an obligation is unmet', () => {
    it('stays public and is not yet eligible, with no date', () => {
      expect(assessOne([penalty({ finePaidDate: null })], '2027-05-16')).toMatchObject({
        outcome: 'not_yet_eligible',
        eligibleFrom: null,
        rule: 'cn-2026-04/obligations.fulfilled-on-request-date',
      });
    });
  });
});
