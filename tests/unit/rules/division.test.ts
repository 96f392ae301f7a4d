import { cityOfDivision, isMemberCity } from '../../../gateway/rules';
import { TongbanError } from '../../../gateway/errors';

// Codes: DOMAIN.md, Identifiers (GB/T 2260).
describe('cityOfDivision', () => {
  it.each([
    ['330106', '330100', 'Xihu district → Hangzhou'],
    ['330203', '330200', 'Haishu → Ningbo'],
    ['421202', '421200', "Xian'an → Xianning"],
    ['330100', '330100', 'a city maps to itself'],
    ['120101', '120000', 'Heping → Tianjin (municipality)'],
    ['110105', '110000', 'Chaoyang → Beijing (municipality)'],
    ['310115', '310000', 'Pudong → Shanghai (municipality)'],
    ['500103', '500000', 'Yuzhong → Chongqing (municipality)'],
    ['120000', '120000', 'a municipality maps to itself'],
  ])('%s → %s (%s)', (code, city) => {
    expect(cityOfDivision(code)).toBe(city);
  });

  describe('when the code is not a division code', () => {
    it.each(['33010', '3301060', 'abcdef', '930100', '０３3010'])(
      'throws invalid_parameter for %p',
      (code) => {
        expect(() => cityOfDivision(code)).toThrow(TongbanError);
      },
    );
  });
});

describe('isMemberCity', () => {
  const members = ['330100', '120000'];

  it('accepts districts of member cities', () => {
    expect(isMemberCity('330106', members)).toBe(true);
    expect(isMemberCity('120101', members)).toBe(true);
  });

  describe('when only the province matches', () => {
    it('does not treat Ningbo as a member because Hangzhou is (no province prefix)', () => {
      expect(isMemberCity('330203', members)).toBe(false);
    });

    it('does not let a province code in the member list admit its cities', () => {
      expect(isMemberCity('330106', ['330000'])).toBe(false);
    });
  });
});
