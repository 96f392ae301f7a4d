import {
  parseRuleSet,
  RULE_SETS,
  RULES_VERSIONS,
  selectRuleSet,
  type RuleSet,
} from '../../../gateway/rules';
import { TongbanError } from '../../../gateway/errors';
import cn202604 from '../../../gateway/rules/data/cn-2026-04.json';

describe('shipped rule sets', () => {
  it('ship cn-2021 and cn-2026-04, oldest first', () => {
    expect(RULES_VERSIONS).toEqual(['cn-2021', 'cn-2026-04']);
  });

  it('encode the national tiers of NDRC Order No. 36 (DOMAIN.md table)', () => {
    const current = selectRuleSet('2026-04-01', 'cn-2026-04');
    expect(current.periodStartsFrom).toBe('publicityStartDate');
    expect(current.tiers).toEqual({
      minor: { minMonths: 0, maxMonths: 3 },
      ordinary: { minMonths: 3, maxMonths: 12 },
      serious: { minMonths: 12, maxMonths: 36 },
    });
  });

  it('count the older set from the decision date', () => {
    expect(selectRuleSet('2025-01-01', 'cn-2021').periodStartsFrom).toBe('decisionDate');
  });

  it('are frozen', () => {
    const first = RULE_SETS[0] as RuleSet;
    expect(Object.isFrozen(first)).toBe(true);
    expect(Object.isFrozen(first.tiers.minor)).toBe(true);
    expect(Object.isFrozen(first.bars)).toBe(true);
  });
});

describe('selectRuleSet', () => {
  it.each([
    ['2026-03-31', 'cn-2021'],
    ['2026-04-01', 'cn-2026-04'],
    ['2030-01-01', 'cn-2026-04'],
  ])('on %s defaults to %s (newest in force)', (date, version) => {
    expect(selectRuleSet(date).rulesVersion).toBe(version);
  });

  it('honours a pinned older version', () => {
    expect(selectRuleSet('2026-05-01', 'cn-2021').rulesVersion).toBe('cn-2021');
  });

  describe('when no set applies', () => {
    it.each([
      ['an unknown version', '2026-05-01', 'cn-1999', '/rulesVersion'],
      ['a version not yet in force', '2026-03-01', 'cn-2026-04', '/rulesVersion'],
      ['a date before every set', '2020-01-01', undefined, '/requestDate'],
    ])('refuses %s', (_label, date, version, pointer) => {
      expect(() => selectRuleSet(date, version)).toThrow(
        expect.objectContaining({ code: 'invalid_parameter', details: { pointer } }),
      );
    });
  });
});

describe('parseRuleSet', () => {
  /** A mutable copy of the shipped file, for the tests to break. */
  type Raw = typeof cn202604;
  const clone = (): Raw => JSON.parse(JSON.stringify(cn202604)) as Raw;
  const bar = (r: Raw) => {
    const first = r.bars[0];
    if (!first) throw new Error('the shipped file has no bar');
    return first;
  };

  it('accepts the shipped file', () => {
    expect(parseRuleSet(clone(), 'cn-2026-04.json').rulesVersion).toBe('cn-2026-04');
  });

  describe('when the file is broken', () => {
    const cases: Array<[string, (r: Raw) => void, string]> = [
      ['a missing tier', (r) => Reflect.deleteProperty(r.tiers, 'serious'), '/tiers/serious'],
      ['max below min', (r) => (r.tiers.ordinary.maxMonths = 2), '/tiers/ordinary'],
      ['fractional months', (r) => (r.tiers.minor.maxMonths = 2.5), '/tiers/minor/maxMonths'],
      [
        'an unmapped measure type',
        (r) => Reflect.deleteProperty(r.measureTiers, 'closure'),
        '/measureTiers/closure',
      ],
      ['an unknown tier name', (r) => (r.measureTiers.fine = 'grave'), '/measureTiers/fine'],
      ['an unknown bar measure', (r) => bar(r).measures.push('jail'), '/bars/0/measures/4'],
      ['an unknown bar sector', (r) => (bar(r).sector = 'finance'), '/bars/0/sector'],
      ['a duplicate bar id', (r) => r.bars.push(bar(r)), '/bars'],
      ['a bad effective date', (r) => (r.effectiveFrom = '2026-13-01'), '/effectiveFrom'],
      ['an unknown period start', (r) => (r.periodStartsFrom = 'noticeDate'), '/periodStartsFrom'],
    ];
    it.each(cases)('rejects %s as config_invalid naming the field', (_label, mutate, pointer) => {
      const raw = clone();
      mutate(raw);
      let caught: unknown;
      try {
        parseRuleSet(raw, 'broken.json');
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(TongbanError);
      expect((caught as TongbanError).code).toBe('config_invalid');
      expect((caught as TongbanError).details.pointer).toBe(pointer);
      expect((caught as TongbanError).message).toContain('broken.json');
    });
  });
});
