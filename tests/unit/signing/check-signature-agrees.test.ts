import { generateKeyPairSync } from 'node:crypto';
import { flattenedVerify } from 'jose';
import { importPublicJwk, signEnvelope } from '../../../gateway/signing';
import { checkSignature } from '../../../gateway/signing/verify/check-signature';
import { envelope, harbinKey } from './fixtures';

/**
 * The pipeline's signature step uses node:crypto directly (check-signature.ts says why); jose
 * stays the independent judge: on valid messages and on every kind of one-character damage,
 * both must give the same verdict.
 */
describe('checkSignature agrees with jose flattenedVerify', () => {
  const publicKey = importPublicJwk(harbinKey.publicJwk);
  const other = generateKeyPairSync('ed25519').publicKey;
  const jwsOf = (i: number) =>
    JSON.parse(
      signEnvelope(
        envelope({ id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}` }),
        harbinKey,
      ).text,
    ) as {
      protected: string;
      payload: string;
      signature: string;
    };
  const ours = (jws: ReturnType<typeof jwsOf>, key = publicKey) => {
    try {
      checkSignature(jws, key);
      return true;
    } catch {
      return false;
    }
  };
  const theirs = async (jws: ReturnType<typeof jwsOf>, key = publicKey) =>
    flattenedVerify(jws, key, { algorithms: ['EdDSA'] }).then(
      () => true,
      () => false,
    );
  const flip = (s: string, at: number) =>
    s.slice(0, at) + (s[at] === 'A' ? 'B' : 'A') + s.slice(at + 1);

  it('accepts what jose accepts', async () => {
    for (let i = 0; i < 20; i++) {
      const jws = jwsOf(i);
      expect(ours(jws)).toBe(true);
      expect(await theirs(jws)).toBe(true);
    }
  });

  it.each(['protected', 'payload', 'signature'] as const)(
    'refuses what jose refuses when one character of %s changes',
    async (part) => {
      const jws = jwsOf(1);
      let refusedBoth = 0;
      for (let at = 0; at < jws[part].length; at += 7) {
        const bad = { ...jws, [part]: flip(jws[part], at) };
        const verdict = ours(bad);
        expect(verdict).toBe(await theirs(bad));
        if (!verdict) refusedBoth++;
      }
      expect(refusedBoth).toBeGreaterThan(0);
    },
  );

  it('refuses another city key, as jose does', async () => {
    const jws = jwsOf(2);
    expect(ours(jws, other)).toBe(false);
    expect(await theirs(jws, other)).toBe(false);
  });
});
