import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { canonicalJson } from '../../../gateway/signing';
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
