import canonicalize from 'canonicalize';
import { toProblem } from '../../../gateway/errors';
import { signEnvelope, verifyEnvelope, type Envelope } from '../../../gateway/signing';
import {
  CONTRACT,
  HANGZHOU,
  HARBIN,
  KUNMING,
  NOW,
  canonicalText,
  context,
  envelope,
  harbinKey,
  refusal,
  seededKey,
  signRaw,
} from './fixtures';

const signed = (env: Envelope = envelope()): Uint8Array => signEnvelope(env, harbinKey).bytes;
const header = { alg: 'EdDSA', kid: harbinKey.kid, typ: 'tongban+jws' };

async function codeOf(bytes: Uint8Array, ctx = context()): Promise<string> {
  return (await refusal(() => verifyEnvelope(bytes, ctx))).code;
}

// Steps 10–15 of the pipeline: canonical payload, envelope shape, audience, time, type, contract.
describe('verifyEnvelope', () => {
  describe('when the payload is not RFC 8785 canonical JSON', () => {
    it.each([
      ['whitespace', JSON.stringify(envelope(), null, 1)],
      ['members out of order', JSON.stringify(envelope())],
      ['a duplicate member', canonicalText(envelope()).replace('{"body"', '{"body":1,"body"')],
    ])('refuses %s as signature_malformed', async (_why, payload) => {
      const err = await refusal(() =>
        verifyEnvelope(signRaw(header, payload, harbinKey), context()),
      );
      expect([err.code, err.details.pointer]).toEqual(['signature_malformed', '/payload']);
    });

    // Canonical bytes as far as ordering and escaping go, but not I-JSON: the quick check
    // (isCanonicalText) must not let a lone surrogate through.
    it('refuses a lone surrogate, written as the escape the canonicaliser gives it', async () => {
      const payload = canonicalize({ ...envelope(), caseRef: 'a\uD800' }) ?? '';
      expect(payload).toContain('"a\\ud800"');
      const err = await refusal(() =>
        verifyEnvelope(signRaw(header, payload, harbinKey), context()),
      );
      expect([err.code, err.message]).toEqual([
        'signature_malformed',
        'JWS payload is not I-JSON (RFC 7493)',
      ]);
    });
  });

  it('accepts a canonical payload that escapes a control character (the full check)', async () => {
    const env = { ...envelope(), caseRef: 'line\u0001' };
    const payload = canonicalText(env);
    expect(payload).toContain('\\u0001');
    const verified = await verifyEnvelope(signRaw(header, payload, harbinKey), context());
    expect(verified.envelope.caseRef).toBe('line\u0001');
  });

  describe('when the envelope is not well-formed', () => {
    // Canonical (the package drops undefined members), but not a valid envelope.
    const raw = (env: Record<string, unknown>): Uint8Array =>
      signRaw(header, canonicalize(env) ?? '', harbinKey);
    it.each([
      ['an unknown member', { ...envelope(), extra: 1 }, '/extra'],
      ['no id', { ...envelope(), id: undefined }, '/id'],
      ['an upper-case id', { ...envelope(), id: '7D444840-9DC0-11D1-B245-5FFDCE74FAD2' }, '/id'],
      ['an unknown type', { ...envelope(), type: 'delegation.delete' }, '/type'],
      ['a bad to', { ...envelope(), to: 33010 }, '/to'],
      ['an impossible date', { ...envelope(), issuedAt: '2026-02-30T09:30:00Z' }, '/issuedAt'],
      ['no body', { ...envelope(), body: undefined }, '/body'],
      ['a numeric caseRef', { ...envelope(), caseRef: 7 }, '/caseRef'],
      [
        'no contract digest',
        { ...envelope(), contract: { name: 'x', version: '1' } },
        '/contract/digest',
      ],
      [
        'a contract extra member',
        { ...envelope(), contract: { ...CONTRACT, url: 'u' } },
        '/contract/url',
      ],
    ])('refuses %s as signature_malformed with a pointer', async (_why, env, pointer) => {
      const err = await refusal(() => verifyEnvelope(raw(env), context()));
      expect(err.code).toBe('signature_malformed');
      expect(err.details.pointer).toBe(pointer);
      expect(err.details.errors).toContainEqual(expect.objectContaining({ pointer }));
    });
  });

  describe('when the message is addressed to another city', () => {
    it('is refused as wrong_audience', async () => {
      const err = await refusal(() => verifyEnvelope(signed(envelope({ to: KUNMING })), context()));
      expect(err.code).toBe('wrong_audience');
      expect(err.details.extra).toEqual({ expected: HANGZHOU, received: KUNMING });
    });

    it('is refused as wrong_audience before it is judged stale', async () => {
      const env = envelope({ to: KUNMING, issuedAt: '2020-01-01T00:00:00Z' });
      expect(await codeOf(signed(env))).toBe('wrong_audience');
    });
  });

  describe('when issuedAt is outside ±maxSkew of now', () => {
    const at = (seconds: number): string => new Date(NOW.getTime() + seconds * 1000).toISOString();
    it.each([
      ['5 min + 1 s in the past', -301],
      ['5 min + 1 s in the future', 301],
      ['a day old', -86_400],
    ])('refuses a message issued %s as stale_message', async (_why, seconds) => {
      const err = await refusal(() =>
        verifyEnvelope(signed(envelope({ issuedAt: at(seconds) })), context()),
      );
      expect(err.code).toBe('stale_message');
      expect(err.details.extra).toMatchObject({ maxSkewSeconds: 300, now: NOW.toISOString() });
    });

    it.each([-300, 300, -0.5, 0])('accepts a message issued %s s from now', async (seconds) => {
      await expect(
        verifyEnvelope(signed(envelope({ issuedAt: at(seconds) })), context()),
      ).resolves.toBeDefined();
    });

    it('honours a custom maxSkewSeconds', async () => {
      const bytes = signed(envelope({ issuedAt: at(-60) }));
      expect(await codeOf(bytes, context(undefined, { maxSkewSeconds: 30 }))).toBe('stale_message');
    });
  });

  describe('when the type is not the expected one', () => {
    it('is refused as type_mismatch', async () => {
      const err = await refusal(() =>
        verifyEnvelope(signed(), context(undefined, { expectedType: 'callback' })),
      );
      expect(err.code).toBe('type_mismatch');
      expect(err.details.extra).toEqual({ expected: ['callback'], received: 'delegation.create' });
    });

    it('accepts any type of an expected list', async () => {
      const ctx = context(undefined, { expectedType: ['callback', 'delegation.create'] });
      await expect(verifyEnvelope(signed(), ctx)).resolves.toBeDefined();
    });
  });

  describe('when the contract does not match', () => {
    const other = { name: CONTRACT.name, version: '1.1.0', digest: 'sha256:' + 'cd'.repeat(32) };

    it('is refused as contract_mismatch; the problem names both versions and digests', async () => {
      const err = await refusal(() =>
        verifyEnvelope(signed(envelope({ contract: other })), context()),
      );
      expect(err.code).toBe('contract_mismatch');
      const problem = toProblem(err);
      expect(problem.status).toBe(409);
      expect(problem.expected).toEqual({ version: CONTRACT.version, digest: CONTRACT.digest });
      expect(problem.received).toEqual({ version: other.version, digest: other.digest });
      expect(problem.detail).toContain('1.1.0');
      expect(problem.detail).toContain('1.0.0');
    });

    it('is refused when only the name differs', async () => {
      expect(await codeOf(signed(envelope({ contract: { ...CONTRACT, name: 'other' } })))).toBe(
        'contract_mismatch',
      );
    });

    it('accepts another version label with the same digest', async () => {
      await expect(
        verifyEnvelope(
          signed(envelope({ contract: { ...CONTRACT, version: '1.0.1' } })),
          context(),
        ),
      ).resolves.toBeDefined();
    });
  });

  describe('when a city rotates its key', () => {
    const next = seededKey(7);
    const ctx = context({ [HARBIN]: [harbinKey, next] });

    it('accepts messages signed with either pinned key', async () => {
      const old = await verifyEnvelope(signEnvelope(envelope(), harbinKey).bytes, ctx);
      const fresh = await verifyEnvelope(signEnvelope(envelope(), next).bytes, ctx);
      expect([old.header.kid, fresh.header.kid]).toEqual([harbinKey.kid, next.kid]);
    });

    it('refuses a third key as unknown_key', async () => {
      expect(await codeOf(signEnvelope(envelope(), seededKey(8)).bytes, ctx)).toBe('unknown_key');
    });
  });
});
