/**
 * Defensive readers for request fields: every external value is attacker-controlled, and a
 * failure names the field by JSON pointer (RFC 6901) so the problem document can point at it.
 */
import { isIsoDate } from '../../calendar/iso-date';
import { TongbanError } from '../../errors';
import { isDivisionCode } from '../division';

export function invalid(pointer: string, message: string): TongbanError {
  return new TongbanError('invalid_parameter', message, { pointer });
}

export function asObject(value: unknown, pointer: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalid(pointer, `${pointer || 'the request'} must be an object`);
  }
  return value as Record<string, unknown>;
}

export function asArray(value: unknown, pointer: string): unknown[] {
  if (!Array.isArray(value)) throw invalid(pointer, `${pointer} must be an array`);
  return value;
}

export function asText(value: unknown, pointer: string): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw invalid(pointer, `${pointer} must be a non-empty string`);
  }
  return value;
}

export function asDate(value: unknown, pointer: string): string {
  if (!isIsoDate(value)) throw invalid(pointer, `${pointer} must be a calendar date YYYY-MM-DD`);
  return value;
}

export function asDivision(value: unknown, pointer: string): string {
  if (!isDivisionCode(value)) throw invalid(pointer, `${pointer} must be a 6-digit GB/T 2260 code`);
  return value;
}

export function asBoolean(value: unknown, pointer: string): boolean {
  if (typeof value !== 'boolean') throw invalid(pointer, `${pointer} must be true or false`);
  return value;
}

export function asEnum<T extends string>(list: readonly T[], value: unknown, pointer: string): T {
  if (!list.includes(value as T))
    throw invalid(pointer, `${pointer} must be one of ${list.join(', ')}`);
  return value as T;
}
