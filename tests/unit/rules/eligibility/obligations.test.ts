import { assessRecords, type PenaltyRecord } from '../../../../gateway/rules';
import { penalty, request } from '../fixtures';

const outcomeOf = (overrides: Partial<PenaltyRecord>, date = '2026-08-16') => {
  const [result] = assessRecords(request([penalty(overrides)], date)).results;
  if (!result) throw new Error('no result');
  return result;
};

// DOMAIN.md, Conditions to apply, item 2: obligations fulfilled in full on the request date.
describe('obligations', () => {
  it('accepts a fine paid before the request date', () => {
    expect(outcomeOf({ finePaidDate: '2026-06-01' }).outcome).toBe('eligible_now');
  });

  it('accepts a fine paid on the request date', () => {
    expect(outcomeOf({ finePaidDate: '2026-08-16' }).outcome).toBe('eligible_now');
  });

  it('needs no payment when there is no fine', () => {
    expect(
      outcomeOf({ measures: [{ type: 'confiscation' }], fineCny: undefined, finePaidDate: null })
        .outcome,
    ).toBe('eligible_now');
    expect(outcomeOf({ fineCny: 0, finePaidDate: null }).outcome).toBe('eligible_now');
  });

  describe('when the fine is unpaid', () => {
    it.each([null, undefined])('is not yet eligible with no date (finePaidDate %p)', (paid) => {
      expect(outcomeOf({ finePaidDate: paid })).toMatchObject({
        outcome: 'not_yet_eligible',
        eligibleFrom: null,
        rule: 'cn-2026-04/obligations.fulfilled-on-request-date',
        reason: expect.stringContaining('the fine is unpaid'),
        reasonZh: expect.stringContaining('罚款尚未缴纳'),
      });
    });

    it('treats a fine measure without an amount as owed', () => {
      expect(outcomeOf({ fineCny: undefined, finePaidDate: null }).outcome).toBe(
        'not_yet_eligible',
      );
    });
  });

  describe('when the payment is dated after the request date', () => {
    it('does not count it', () => {
      expect(outcomeOf({ finePaidDate: '2026-08-17' })).toMatchObject({
        outcome: 'not_yet_eligible',
        eligibleFrom: null,
        reason: expect.stringContaining('after the request date'),
      });
    });
  });

  describe('when other obligations are open', () => {
    it('is not yet eligible even with the fine paid', () => {
      expect(outcomeOf({ otherObligationsFulfilled: false })).toMatchObject({
        outcome: 'not_yet_eligible',
        eligibleFrom: null,
        reasonZh: expect.stringContaining('其他法定义务'),
      });
    });
  });

  describe('when the minimum period has not passed either', () => {
    it('reports the open obligation first (no date can be promised)', () => {
      expect(outcomeOf({ finePaidDate: null }, '2026-06-01').eligibleFrom).toBeNull();
    });
  });
});
