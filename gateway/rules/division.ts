/**
 * GB/T 2260 division codes → the city that owns them (DOMAIN.md, Identifiers).
 *
 * A district or county maps to its prefecture-level city by its first four digits + "00". The
 * four municipalities directly under the central government (Beijing 11, Tianjin 12,
 * Shanghai 31, Chongqing 50) are cities at province level: their districts map to the first
 * two digits + "0000". Federation membership is decided on this city code, never on a
 * province prefix (Ningbo 330200 is not a member because Hangzhou 330100 is).
 */
import { TongbanError } from '../errors';

export const MUNICIPALITY_PREFIXES: readonly string[] = Object.freeze(['11', '12', '31', '50']);

/** Six digits, first one 1–8 (the GB/T 2260 regions), as in the city-config schema. */
const DIVISION_CODE = /^[1-8]\d{5}$/;

export function isDivisionCode(value: unknown): value is string {
  return typeof value === 'string' && DIVISION_CODE.test(value);
}

export function cityOfDivision(code: string): string {
  if (!isDivisionCode(code)) {
    throw new TongbanError(
      'invalid_parameter',
      `not a GB/T 2260 division code: ${JSON.stringify(code)}`,
    );
  }
  const province = code.slice(0, 2);
  return MUNICIPALITY_PREFIXES.includes(province) ? `${province}0000` : `${code.slice(0, 4)}00`;
}

/** Is the city owning `code` among the members? Members may be given as any of their codes. */
export function isMemberCity(code: string, members: Iterable<string>): boolean {
  const city = cityOfDivision(code);
  for (const m of members) if (cityOfDivision(m) === city) return true;
  return false;
}
