import {
  measureTier,
  recordTier,
  selectRuleSet,
  type Measure,
  type Severity,
} from '../../../gateway/rules';

// DOMAIN.md, Publicity periods: tiers and the most-severe-measure rule.
const rules = selectRuleSet('2026-04-01', 'cn-2026-04');
const tierOf = (severity: Severity, ...measures: Measure[]) =>
  recordTier({ severity, measures }, rules);

describe('recordTier', () => {
  it.each([
    ['warning', 'minor'],
    ['public_criticism', 'minor'],
    ['confiscation', 'ordinary'],
    ['licence_suspension', 'ordinary'],
    ['other', 'ordinary'],
    ['licence_revocation', 'serious'],
    ['business_suspension', 'serious'],
    ['business_restriction', 'serious'],
    ['occupational_ban', 'serious'],
    ['closure', 'serious'],
  ] as const)('a minor record with %s alone is %s', (type, tier) => {
    expect(tierOf('minor', { type })).toBe(tier);
  });

  it('takes the most severe measure of a decision', () => {
    expect(tierOf('minor', { type: 'warning' }, { type: 'confiscation' })).toBe('ordinary');
    expect(tierOf('ordinary', { type: 'fine' }, { type: 'closure' })).toBe('serious');
  });

  it('never goes below the record severity', () => {
    expect(tierOf('serious', { type: 'warning' })).toBe('serious');
    expect(tierOf('ordinary', { type: 'public_criticism' })).toBe('ordinary');
  });

  it('lets a measure severity raise its tier (a very large fine is serious)', () => {
    expect(tierOf('ordinary', { type: 'fine', severity: 'serious' })).toBe('serious');
  });

  it('counts a fine as minor when the record is graded minor (simplified procedure)', () => {
    expect(tierOf('minor', { type: 'fine' })).toBe('minor');
  });

  describe('when the record is not graded minor', () => {
    it('keeps a fine at least ordinary, even if the measure says minor', () => {
      expect(measureTier({ type: 'fine', severity: 'minor' }, 'ordinary', rules)).toBe('ordinary');
    });

    it('does not let a minor measure severity lower a serious measure', () => {
      expect(measureTier({ type: 'licence_revocation', severity: 'minor' }, 'minor', rules)).toBe(
        'serious',
      );
    });
  });
});
