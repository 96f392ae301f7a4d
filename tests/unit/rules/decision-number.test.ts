import { decisionKey, normaliseDecisionNo } from '../../../gateway/rules';

// Examples: DOMAIN.md, Identifiers (penalty decision numbers).
describe('normaliseDecisionNo', () => {
  it('folds square brackets and full-width digits (the DOMAIN pair)', () => {
    expect(normaliseDecisionNo('甬综执罚决字[2024]第１２３号')).toBe('甬综执罚决字〔2024〕第123号');
    expect(normaliseDecisionNo('甬综执罚决字〔2024〕第123号')).toBe('甬综执罚决字〔2024〕第123号');
  });

  it.each([
    ['昆市监罚[2026]114号'],
    ['昆市监罚［2026］114号'],
    ['昆市监罚(2026)114号'],
    ['昆市监罚（2026）114号'],
    ['昆市监罚【2026】114号'],
    ['昆市监罚〔2026〕114号'],
    ['昆市监罚 〔2026〕 114 号'],
    ['昆市监罚\u3000〔２０２６〕１１４号 '],
  ])('normalises %p to the canonical form', (input) => {
    expect(normaliseDecisionNo(input)).toBe('昆市监罚〔2026〕114号');
  });

  describe('when numbers differ', () => {
    it('keeps different serial numbers apart', () => {
      expect(normaliseDecisionNo('昆市监罚〔2026〕114号')).not.toBe(
        normaliseDecisionNo('昆市监罚〔2026〕115号'),
      );
    });
  });
});

describe('decisionKey', () => {
  it('matches the same number written differently by the same authority', () => {
    expect(decisionKey('宁波市综合行政执法局', '甬综执罚决字[2024]第１２３号')).toBe(
      decisionKey('宁波市综合行政执法局 ', '甬综执罚决字〔2024〕第123号'),
    );
  });

  describe('when the authority differs', () => {
    it('keeps the same number from two authorities apart (unique only per authority)', () => {
      expect(decisionKey('昆明市市场监督管理局', '罚〔2026〕1号')).not.toBe(
        decisionKey('杭州市市场监督管理局', '罚〔2026〕1号'),
      );
    });
  });
});
