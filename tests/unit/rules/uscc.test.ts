import { assertUscc, usccCheckCharacter, USCC_CHARSET, validateUscc } from '../../../gateway/rules';
import { TongbanError } from '../../../gateway/errors';

// Vectors: DOMAIN.md, Identifiers (the valid one is the example printed in GB 32100-2015).
const VALID = '91350100M000100Y43';
const INVALID_CHECK = '91350211M00013FA1N';

describe('validateUscc', () => {
  it('accepts the GB 32100-2015 example code', () => {
    expect(validateUscc(VALID)).toEqual({ ok: true });
  });

  it('computes the check character of the standard example as 3', () => {
    const values = [...VALID.slice(0, 17)].map((c) => USCC_CHARSET.indexOf(c));
    expect(usccCheckCharacter(values)).toBe('3');
  });

  it('uses the 31-symbol alphabet without I, O, S, V, Z', () => {
    expect(USCC_CHARSET).toHaveLength(31);
    expect(USCC_CHARSET).not.toMatch(/[IOSVZ]/);
  });

  describe('when the check character is wrong', () => {
    it('rejects the DOMAIN.md invalid example and names position 18', () => {
      const r = validateUscc(INVALID_CHECK);
      expect(r).toMatchObject({ ok: false, reason: 'check_character', position: 18 });
    });

    it('rejects a single-character typo in the body', () => {
      expect(validateUscc('91350100M000101Y43')).toMatchObject({
        ok: false,
        reason: 'check_character',
      });
    });
  });

  describe('when the shape is wrong', () => {
    it.each([
      ['17 characters', VALID.slice(0, 17), 'length'],
      ['19 characters', `${VALID}0`, 'length'],
      ['empty', '', 'length'],
    ])('rejects %s', (_label, code, reason) => {
      expect(validateUscc(code)).toMatchObject({ ok: false, reason });
    });

    it.each([
      ['a forbidden letter O', '91350100M0001O0Y43', 14],
      ['lower case', '91350100m000100Y43', 9],
      ['a full-width digit', '９1350100M000100Y43', 1],
    ])('rejects %s with its position', (_label, code, position) => {
      expect(validateUscc(code)).toMatchObject({ ok: false, reason: 'charset', position });
    });

    it.each([null, undefined, 91350100, {}])('rejects the non-string %p', (value) => {
      expect(validateUscc(value)).toMatchObject({ ok: false, reason: 'not_a_string' });
    });
  });
});

describe('assertUscc', () => {
  it('passes a valid code', () => {
    expect(() => assertUscc(VALID, '/company/uscc')).not.toThrow();
  });

  describe('when the code is invalid', () => {
    it('throws invalid_uscc with the pointer and the precise reason', () => {
      let caught: unknown;
      try {
        assertUscc(INVALID_CHECK, '/company/uscc');
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(TongbanError);
      const err = caught as TongbanError;
      expect(err.code).toBe('invalid_uscc');
      expect(err.details.pointer).toBe('/company/uscc');
      expect(err.details.extra).toEqual({ reason: 'check_character', position: 18 });
    });
  });
});
