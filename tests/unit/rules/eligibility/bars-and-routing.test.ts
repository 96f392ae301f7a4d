import { assessRecords, type PenaltyRecord } from '../../../../gateway/rules';
import { penalty, request } from '../fixtures';

const assessOne = (overrides: Partial<PenaltyRecord>, members?: string[]) => {
  const input = request([penalty(overrides)], '2026-08-16');
  if (members) input.members = members;
  const [result] = assessRecords(input).results;
  if (!result) throw new Error('no result');
  return result;
};

// DOMAIN.md, Conditions to apply, item 4; SAMR Order 45 (2021) Art. 14 ¶3.
describe('sector bars', () => {
  it.each([
    'licence_revocation',
    'business_suspension',
    'business_restriction',
    'occupational_ban',
  ] as const)('market supervision + %s is not repairable early', (type) => {
    expect(assessOne({ measures: [{ type: 'fine' }, { type }] })).toMatchObject({
      outcome: 'not_repairable',
      eligibleFrom: null,
      tier: 'serious',
      publicityEndsOn: '2029-05-15',
      rule: 'cn-2026-04/bar.samr-45-art14-p3',
      reason: expect.stringContaining('SAMR Order No. 45'),
    });
  });

  it('comes before open obligations', () => {
    expect(
      assessOne({ measures: [{ type: 'licence_revocation' }], finePaidDate: null }).outcome,
    ).toBe('not_repairable');
  });

  describe('when the sector or measure is not barred', () => {
    it('lets the same measure in another sector through to the period check', () => {
      expect(
        assessOne({ sector: 'transport', measures: [{ type: 'licence_revocation' }] }).outcome,
      ).toBe('not_yet_eligible');
    });

    it('does not bar closure in market supervision (not listed in Art. 14 ¶3)', () => {
      expect(assessOne({ measures: [{ type: 'closure' }] })).toMatchObject({
        outcome: 'not_yet_eligible',
        tier: 'serious',
      });
    });
  });
});

// DOMAIN.md, Identifiers: membership is by city, never by province prefix.
describe('routing', () => {
  it('routes a district of a member city to that city', () => {
    expect(assessOne({ issuingCity: '330106' })).toMatchObject({
      outcome: 'eligible_now',
      routeCity: '330100',
    });
  });

  it('routes a Tianjin district to the municipality', () => {
    expect(assessOne({ issuingCity: '120101' }).routeCity).toBe('120000');
  });

  describe('when the penalising city is not a member', () => {
    it('is not routable, before any other check', () => {
      expect(
        assessOne({
          issuingCity: '330203',
          finePaidDate: null,
          measures: [{ type: 'licence_revocation' }],
        }),
      ).toMatchObject({
        outcome: 'not_routable',
        routeCity: null,
        eligibleFrom: null,
        rule: 'cn-2026-04/routing.member-city',
        reason: expect.stringContaining('330200'),
      });
    });

    it('does not admit a city because its province has a member', () => {
      expect(assessOne({ issuingCity: '330700' }).outcome).toBe('not_routable');
    });

    it('does not admit a city through a province code among the members', () => {
      expect(assessOne({ issuingCity: '330106' }, ['330000']).outcome).toBe('not_routable');
    });
  });
});
