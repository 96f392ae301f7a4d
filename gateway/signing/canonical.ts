import canonicalize from 'canonicalize';
import { TongbanError } from '../errors';
import { pointerToken, utf8Encode } from './encoding';

// With the `u` flag a surrogate pair is one code point, so this only matches lone surrogates.
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

/**
 * RFC 8785 (JCS) canonical JSON of `value`, as UTF-8 bytes (RFC 8785 §3.2.4).
 *
 * Only the I-JSON data model is accepted (RFC 8785 §3.1, RFC 7493): plain objects, arrays,
 * strings, finite numbers, booleans and null. `canonicalize` alone would silently drop
 * `undefined` members, turn `undefined` array items into null and call `toJSON`; here those
 * are refused, so what is signed is exactly what the caller wrote.
 */
export function canonicalJson(value: unknown): Uint8Array {
  // The quick walk says only yes or no; the slow one, run on a no, names where and why.
  if (!isIJson(value, new Set())) assertIJson(value, '', new Set());
  const text = canonicalize(value);
  if (text === undefined) throw refuse('', 'value has no JSON form');
  return utf8Encode(text);
}

/**
 * A quick yes for received text: `text` is RFC 8785 canonical JSON when it has no `\u` escape,
 * V8's own serialisation of what it parsed to (`parsed`) gives it back exactly, and every
 * object's members come in ascending UTF-16 order. JSON.stringify writes strings and numbers
 * as RFC 8785 prescribes (§3.2.2: it is the ECMAScript serialisation) and members in property
 * order, so those three make it canonical. No escape means no lone surrogate (the text came
 * from strict UTF-8, so only an escape could carry one) and leaves out canonical texts with
 * control characters, which then take the full check. False says only "not shown quickly":
 * the caller compares with `canonicalJson(parsed)`. About 4 µs against 13 for a 1 KB
 * delegation (docs/operations.md, *Performance*).
 */
export function isCanonicalText(text: string, parsed: unknown): boolean {
  return !text.includes('\\u') && JSON.stringify(parsed) === text && membersAscending(parsed);
}

function membersAscending(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return true;
  if (Array.isArray(value)) {
    for (const item of value) if (!membersAscending(item)) return false;
    return true;
  }
  let previous: string | undefined;
  for (const name in value) {
    if (!Object.hasOwn(value, name)) return false;
    if (previous !== undefined && !(previous < name)) return false;
    previous = name;
    if (!membersAscending((value as Record<string, unknown>)[name])) return false;
  }
  return true;
}

/** The same rules as assertIJson without building a JSON pointer for every member. */
function isIJson(value: unknown, ancestors: Set<object>): boolean {
  switch (typeof value) {
    case 'string':
      return !LONE_SURROGATE.test(value);
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value);
    case 'object': {
      if (value === null) return true;
      if (ancestors.has(value)) return false;
      ancestors.add(value);
      let ok = true;
      if (Array.isArray(value)) {
        for (let i = 0; ok && i < value.length; i++) ok = isIJson(value[i], ancestors);
      } else {
        const proto: unknown = Object.getPrototypeOf(value);
        if (proto !== Object.prototype && proto !== null) return false;
        for (const name in value) {
          if (!Object.prototype.hasOwnProperty.call(value, name)) continue;
          if (LONE_SURROGATE.test(name)) return false;
          if (!isIJson((value as Record<string, unknown>)[name], ancestors)) return false;
        }
      }
      ancestors.delete(value);
      return ok;
    }
    default:
      return false;
  }
}

function assertIJson(value: unknown, pointer: string, ancestors: Set<object>): void {
  switch (typeof value) {
    case 'string':
      if (LONE_SURROGATE.test(value)) throw refuse(pointer, 'string holds a lone surrogate');
      return;
    case 'boolean':
      return;
    case 'number':
      if (!Number.isFinite(value)) throw refuse(pointer, `${value} is not a finite number`);
      return;
    case 'object':
      if (value === null) return;
      return assertContainer(value, pointer, ancestors);
    case 'undefined':
    case 'bigint':
    case 'symbol':
    case 'function':
      throw refuse(pointer, `${typeof value} has no JSON form`);
  }
}

function assertContainer(value: object, pointer: string, ancestors: Set<object>): void {
  if (ancestors.has(value)) throw refuse(pointer, 'value is circular');
  ancestors.add(value);
  if (Array.isArray(value)) {
    value.forEach((item, i) => assertIJson(item, `${pointer}/${i}`, ancestors));
  } else {
    const proto: unknown = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) {
      throw refuse(pointer, `${value.constructor?.name ?? 'object'} is not a plain JSON object`);
    }
    for (const [name, member] of Object.entries(value)) {
      if (LONE_SURROGATE.test(name)) throw refuse(pointer, 'member name holds a lone surrogate');
      assertIJson(member, `${pointer}/${pointerToken(name)}`, ancestors);
    }
  }
  ancestors.delete(value);
}

function refuse(pointer: string, why: string): TongbanError {
  return new TongbanError(
    'internal',
    `Cannot canonicalize JSON (RFC 8785): ${why} at "${pointer}"`,
    {
      pointer,
    },
  );
}
