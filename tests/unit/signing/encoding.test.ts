import { randomBytes } from 'node:crypto';
import { base64urlDecode, base64urlEncode } from '../../../gateway/signing/encoding';

/** The definition, written out: RFC 4648 §5 alphabet, no padding, canonical trailing bits. */
function reference(text: string): Uint8Array | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) return undefined;
  const bytes = Buffer.from(text, 'base64url');
  return bytes.toString('base64url') === text ? new Uint8Array(bytes) : undefined;
}

describe('base64urlDecode (strict base64url, RFC 4648 §5 without padding)', () => {
  it('decodes what base64urlEncode wrote, at every length', () => {
    for (let n = 0; n < 70; n++) {
      const bytes = randomBytes(n);
      expect(Buffer.from(base64urlDecode(base64urlEncode(bytes))!)).toEqual(bytes);
    }
  });

  it.each([
    ['padding', 'YQ=='],
    ['standard alphabet +', 'a+bc'],
    ['standard alphabet /', 'a/bc'],
    ['a space', 'YW Jj'],
    ['a newline', 'YWJj\n'],
    ['a lone trailing character (length 4k+1)', 'YWJjZ'],
    ['non-zero trailing bits (RFC 4648 §3.5)', 'YR'],
    ['a character outside ASCII', 'YWJj\u00e9'],
    ['a dot', 'YW.j'],
  ])('refuses %s', (_, text) => {
    expect(base64urlDecode(text)).toBeUndefined();
  });

  it('agrees with the written-out definition on random and mutated inputs', () => {
    const alphabet = 'ABCXYZabcxyz0189-_+/= .\n\u00e9';
    let seed = 7;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    for (let k = 0; k < 5000; k++) {
      let text = base64urlEncode(randomBytes(rnd(12)));
      const edits = rnd(3);
      for (let e = 0; e < edits; e++) {
        const at = rnd(text.length + 1);
        text = text.slice(0, at) + alphabet[rnd(alphabet.length)] + text.slice(at + rnd(2));
      }
      const want = reference(text);
      const got = base64urlDecode(text);
      expect(got === undefined ? undefined : Buffer.from(got)).toEqual(
        want === undefined ? undefined : Buffer.from(want),
      );
    }
  });
});
