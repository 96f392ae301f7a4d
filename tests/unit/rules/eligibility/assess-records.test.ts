import { assessRecords, type AssessInput } from '../../../../gateway/rules';
import { TongbanError } from '../../../../gateway/errors';
import { FEDERATION, penalty, request } from '../fixtures';

describe('assessRecords', () => {
  it('answers every record in order, with the rule set and request date', () => {
    const out = assessRecords(
      request([penalty({ ref: 'a' }), penalty({ ref: 'b', issuingCity: '440100' })], '2026-08-16'),
    );
    expect(out.rulesVersion).toBe('cn-2026-04');
    expect(out.requestDate).toBe('2026-08-16');
    expect(out.results.map((r) => [r.ref, r.outcome])).toEqual([
      ['a', 'eligible_now'],
      ['b', 'not_routable'],
    ]);
  });

  it('normalises the decision number in the output', () => {
    const [r] = assessRecords(
      request([penalty({ decisionNo: '甬综执罚决字[2024]第１２３号' })]),
    ).results;
    expect(r?.normalisedDecisionNo).toBe('甬综执罚决字〔2024〕第123号');
  });

  it('gives readable reasons in English and Chinese', () => {
    const [r] = assessRecords(request([penalty()])).results;
    expect(r?.reason).toMatch(/^Ordinary tier: the 3-month minimum publicity ended on 2026-08-15/);
    expect(r?.reasonZh).toMatch(/^一般失信信息最短公示期3个月已于2026-08-15届满/);
  });

  it('omits ref when the record has none', () => {
    const [r] = assessRecords(request([penalty({ ref: undefined })])).results;
    expect(r).not.toHaveProperty('ref');
  });

  it('defaults the request date to today in Asia/Shanghai', () => {
    // 2026-08-15T16:30Z is already 2026-08-16 00:30 in Shanghai.
    const input: AssessInput = { members: FEDERATION, records: [penalty()] };
    const out = assessRecords(input, () => new Date('2026-08-15T16:30:00Z'));
    expect(out.requestDate).toBe('2026-08-16');
    expect(out.results[0]?.outcome).toBe('eligible_now');
  });

  describe('rule-set versioning', () => {
    const record = penalty({ decisionDate: '2026-05-01', publicityStartDate: '2026-05-15' });

    it('counts cn-2026-04 periods from the publicity start', () => {
      expect(assessRecords(request([record], '2026-08-10')).results[0]).toMatchObject({
        outcome: 'not_yet_eligible',
        eligibleFrom: '2026-08-16',
      });
    });

    it('counts a case pinned to cn-2021 from the decision date', () => {
      const out = assessRecords(request([record], '2026-08-10', { rulesVersion: 'cn-2021' }));
      expect(out.rulesVersion).toBe('cn-2021');
      expect(out.results[0]).toMatchObject({
        outcome: 'eligible_now',
        eligibleFrom: '2026-08-02',
        rule: 'cn-2021/period.ordinary.min',
      });
    });

    it('picks cn-2021 for a request before 2026-04-01', () => {
      const old = penalty({
        decisionDate: '2025-10-01',
        publicityStartDate: '2025-10-20',
        finePaidDate: '2025-10-05',
      });
      expect(assessRecords(request([old], '2026-01-02')).results[0]).toMatchObject({
        rule: 'cn-2021/period.ordinary.min',
        eligibleFrom: '2026-01-02',
        outcome: 'eligible_now',
      });
    });
  });

  describe('when the input is invalid', () => {
    const invalidCases: Array<[string, unknown, string]> = [
      [
        'an impossible decision date',
        request([penalty({ decisionDate: '2026-02-30' })]),
        '/records/0/decisionDate',
      ],
      [
        'a worded publicity date',
        request([penalty({ publicityStartDate: 'yesterday' })]),
        '/records/0/publicityStartDate',
      ],
      [
        'a slashed payment date',
        request([penalty(), penalty({ finePaidDate: '2026/05/20' })]),
        '/records/1/finePaidDate',
      ],
      [
        'publicity before the decision',
        request([penalty({ publicityStartDate: '2026-05-01' })]),
        '/records/0/publicityStartDate',
      ],
      [
        'a bad city code',
        request([penalty({ issuingCity: 'Hangzhou' })]),
        '/records/0/issuingCity',
      ],
      [
        'a division of another city',
        request([penalty({ issuingDivision: '330203' })]),
        '/records/0/issuingDivision',
      ],
      [
        'an unknown sector',
        request([penalty({ sector: 'finance' as never })]),
        '/records/0/sector',
      ],
      ['no measures', request([penalty({ measures: [] })]), '/records/0/measures'],
      [
        'an unknown measure',
        request([penalty({ measures: [{ type: 'jail' as never }] })]),
        '/records/0/measures/0/type',
      ],
      [
        'an unknown severity',
        request([penalty({ severity: 'grave' as never })]),
        '/records/0/severity',
      ],
      ['a negative fine', request([penalty({ fineCny: -1 })]), '/records/0/fineCny'],
      [
        'a fine given as text',
        request([penalty({ fineCny: '5000' as never })]),
        '/records/0/fineCny',
      ],
      [
        'a missing obligations flag',
        request([penalty({ otherObligationsFulfilled: undefined as never })]),
        '/records/0/otherObligationsFulfilled',
      ],
      ['an empty authority', request([penalty({ authority: ' ' })]), '/records/0/authority'],
      ['a bad request date', request([penalty()], '2026-8-16'), '/requestDate'],
      ['a bad member code', { ...request([penalty()]), members: ['330100', '33'] }, '/members/1'],
      ['records not a list', { members: FEDERATION, records: {} }, '/records'],
      ['too many records', request(Array.from({ length: 501 }, () => penalty())), '/records'],
    ];

    it.each(invalidCases)(
      'refuses %s with invalid_parameter at the field',
      (_label, input, pointer) => {
        let caught: unknown;
        try {
          assessRecords(input as AssessInput);
        } catch (e) {
          caught = e;
        }
        expect(caught).toBeInstanceOf(TongbanError);
        expect((caught as TongbanError).code).toBe('invalid_parameter');
        expect((caught as TongbanError).details.pointer).toBe(pointer);
      },
    );
  });
});
