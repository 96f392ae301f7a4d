/**
 * Unified Social Credit Code (统一社会信用代码), GB 32100-2015: 18 characters from a 31-symbol
 * alphabet (no I, O, S, V, Z), the last one a check character over the first 17.
 *
 * Only the structure and the final check character are verified. Digits 3–8 (the registering
 * authority's division) may be a province or a retired code, so they are never checked against
 * today's division list nor used to derive a city (DOMAIN.md, Identifiers).
 */

export const USCC_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
export const USCC_LENGTH = 18;

export type UsccFailure = 'not_a_string' | 'length' | 'charset' | 'check_character';

export type UsccResult =
  | { ok: true }
  | {
      ok: false;
      reason: UsccFailure;
      /** Readable explanation, safe to show to the applicant. */
      message: string;
      /** 1-based position of the offending character, when one is at fault. */
      position?: number;
    };

export function validateUscc(value: unknown): UsccResult {
  if (typeof value !== 'string') {
    return { ok: false, reason: 'not_a_string', message: 'the code must be a string' };
  }
  if (value.length !== USCC_LENGTH) {
    return {
      ok: false,
      reason: 'length',
      message: `the code must have ${USCC_LENGTH} characters, got ${value.length}`,
    };
  }
  const values: number[] = [];
  for (let i = 0; i < USCC_LENGTH; i++) {
    const v = USCC_CHARSET.indexOf(value.charAt(i));
    if (v < 0) {
      return {
        ok: false,
        reason: 'charset',
        position: i + 1,
        message: `character ${i + 1} (${JSON.stringify(value.charAt(i))}) is not allowed; use digits and capitals except I, O, S, V, Z`,
      };
    }
    values.push(v);
  }
  const expected = usccCheckCharacter(values.slice(0, USCC_LENGTH - 1));
  if (value.charAt(USCC_LENGTH - 1) !== expected) {
    return {
      ok: false,
      reason: 'check_character',
      position: USCC_LENGTH,
      message: `the check character does not match (expected ${expected}): the code has a typo`,
    };
  }
  return { ok: true };
}

/**
 * GB 32100-2015 §4.3: weight of position i (1-based) is 3^(i-1) mod 31,
 * S = Σ value·weight, check = charset[(31 − S mod 31) mod 31].
 */
export function usccCheckCharacter(first17: readonly number[]): string {
  let sum = 0;
  let weight = 1;
  for (const v of first17) {
    sum += v * weight;
    weight = (weight * 3) % 31;
  }
  return USCC_CHARSET.charAt((31 - (sum % 31)) % 31);
}
