import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import canonicalize from 'canonicalize';
import { canonicalJson, isCanonicalText } from '../../../gateway/signing';
import { refusal } from './fixtures';

// Copied byte for byte from the shared vectors; its `source` names the upstream test data.
const jcs = JSON.parse(readFileSync(join(__dirname, '../../vectors/jcs-rfc8785.json'), 'utf8')) as {
  source: string;
  cases: { name: string; input: string; output?: string; outputHex?: string }[];
};

const decode = (bytes: Uint8Array): string => Buffer.from(bytes).toString('utf8');

describe('canonicalJson (RFC 8785)', () => {
  it('names where its vectors come from', () => {
    expect(jcs.source).toMatch(/RFC 8785/);
    expect(jcs.cases.length).toBeGreaterThan(0);
  });

  it.each(jcs.cases.map((c) => [c.name, c] as const))('reproduces vector %s', (_name, c) => {
    const bytes = canonicalJson(JSON.parse(c.input));
    if (c.outputHex !== undefined) expect(Buffer.from(bytes).toString('hex')).toBe(c.outputHex);
    if (c.output !== undefined) expect(decode(bytes)).toBe(c.output);
  });

  it('returns UTF-8 bytes, not \\u escapes, for non-ASCII text (RFC 8785 §3.2.2.2)', () => {
    expect(Buffer.from(canonicalJson({ a: '€信' })).toString('hex')).toBe(
      '7b2261223a22e282ace4bfa1227d',
    );
  });

  it('serializes numbers as ECMAScript does (RFC 8785 §3.2.2.3)', () => {
    expect(decode(canonicalJson([-0, 1e21, 1e-7, 0.000001, 9007199254740992]))).toBe(
      '[0,1e+21,1e-7,0.000001,9007199254740992]',
    );
  });

  describe('when the value is outside the I-JSON data model', () => {
    it.each([
      ['NaN', { a: NaN }, '/a'],
      ['Infinity', { a: [1, Infinity] }, '/a/1'],
      ['-Infinity', -Infinity, ''],
      ['undefined member', { a: { b: undefined } }, '/a/b'],
      ['undefined item', [undefined], '/0'],
      ['bigint', { n: 10n }, '/n'],
      ['function', { f: () => 1 }, '/f'],
      ['Date', { d: new Date(0) }, '/d'],
      ['lone surrogate', { s: '\uD800' }, '/s'],
      ['member name with "/"', { 'a/b': undefined }, '/a~1b'],
    ])('refuses %s with a clear error', async (_what, value, pointer) => {
      const err = await refusal(() => canonicalJson(value));
      expect(err.message).toMatch(/Cannot canonicalize JSON \(RFC 8785\)/);
      expect(err.details.pointer).toBe(pointer);
    });

    it('refuses a circular structure', async () => {
      const a: Record<string, unknown> = {};
      a.self = a;
      expect((await refusal(() => canonicalJson(a))).message).toMatch(/circular/);
    });
  });
});

/**
 * The quick yes the verifier tries first. Its one duty: never say yes to a text that the full
 * check (canonicalise what it parsed to, compare) would refuse. Saying no only costs time.
 */
describe('isCanonicalText', () => {
  const full = (text: string): boolean => {
    try {
      return decode(canonicalJson(JSON.parse(text))) === text;
    } catch {
      return false;
    }
  };
  const quick = (text: string): boolean => isCanonicalText(text, JSON.parse(text));
  const QUICK_YES: Record<string, boolean> = { arrays: true, structures: false, values: false };

  it.each(jcs.cases.map((c) => [c.name, c] as const))(
    'agrees with the full check on vector %s',
    (_name, c) => {
      for (const text of [c.input, c.output ?? decodeHex(c.outputHex)]) {
        if (quick(text)) expect(full(text)).toBe(true);
      }
      // Every output is canonical. The quick check sees that unless the output escapes a
      // character (values) or has integer-like member names, which V8 puts first (structures).
      const out = c.output ?? decodeHex(c.outputHex);
      expect(quick(out)).toBe(QUICK_YES[c.name]);
    },
  );

  it.each([
    ['members out of order', '{"b":1,"a":2}'],
    ['a nested object out of order', '{"a":[{"y":1,"x":2}]}'],
    ['a duplicate member', '{"a":1,"a":1}'],
    ['whitespace', '{"a": 1}'],
    ['a number not in ECMAScript form', '{"a":1.0}'],
    ['an escape ECMAScript does not write', '{"a":"\\u0041"}'],
    ['a lone surrogate', '{"a":"\\ud800"}'],
    ['a control character escape (canonical: left to the full check)', '{"a":"\\u0001"}'],
    ['integer-like names V8 reorders (canonical: left to the full check)', '{"10":1,"9":2}'],
  ])('says no to %s', (_what, text) => {
    expect(quick(text)).toBe(false);
  });

  it.each([
    ['an object in order', '{"a":1,"b":[true,null,"x"],"c":{"d":-0.5}}'],
    ['non-ASCII names in UTF-16 order', '{"a":1,"é":2,"信":3,"😀":4}'],
    ['integer-like names in both orders', '{"1":1,"2":2,"a":3}'],
  ])('says yes to %s', (_what, text) => {
    expect(quick(text)).toBe(true);
    expect(full(text)).toBe(true);
  });

  it('never says yes where the full check says no (random texts)', () => {
    let rnd = 0x2545f491;
    const next = (n: number): number => {
      rnd ^= rnd << 13;
      rnd ^= rnd >>> 17;
      rnd ^= rnd << 5;
      return (rnd >>> 0) % n;
    };
    const names = ['a', 'b', 'B', '1', '10', '9', 'é', '信', '😀', 'a\u0001', ''];
    const strings = ['', 'x', '"', '\\', '\u0001', '\u007f', '信', '😀', '\ud800', '\u2028'];
    const numbers = [0, -0, 1, -1.5, 1e21, 1e-7, 0.1, 2 ** 53, 123456789];
    const value = (depth: number): unknown => {
      switch (next(depth > 2 ? 4 : 6)) {
        case 0:
          return strings[next(strings.length)];
        case 1:
          return numbers[next(numbers.length)];
        case 2:
          return [true, false, null][next(3)];
        case 3:
          return strings[next(strings.length)];
        case 4:
          return Array.from({ length: next(3) }, () => value(depth + 1));
        default: {
          const o: Record<string, unknown> = {};
          for (let i = next(4); i > 0; i--) o[names[next(names.length)]!] = value(depth + 1);
          return o;
        }
      }
    };
    let yes = 0;
    for (let i = 0; i < 3000; i++) {
      const v = value(0);
      const canonical = canonicalize(v) ?? 'null';
      const texts = [canonical, JSON.stringify(v), canonical.replace('{"', '{"a":0,"')];
      for (const text of texts) {
        if (quick(text)) {
          yes++;
          expect(full(text)).toBe(true);
        }
      }
    }
    expect(yes).toBeGreaterThan(1000); // the quick path is taken, not just always no
  });
});

function decodeHex(hex: string | undefined): string {
  return Buffer.from(hex ?? '', 'hex').toString('utf8');
}
