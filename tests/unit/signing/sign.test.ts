import { compactVerify, flattenedVerify } from 'jose';
import {
  compactToFlattened,
  importPublicJwk,
  sha256Digest,
  signCompact,
  signEnvelope,
  verifyCompact,
  verifyEnvelope,
  type Envelope,
} from '../../../gateway/signing';
import { canonicalText, context, envelope, fromB64u, harbinKey, refusal, utf8 } from './fixtures';

const FLATTENED =
  /^\{"protected":"[A-Za-z0-9_-]+","payload":"[A-Za-z0-9_-]+","signature":"[A-Za-z0-9_-]{86}"\}$/;

describe('signEnvelope', () => {
  const env = envelope();
  const signed = signEnvelope(env, harbinKey);
  const parts = JSON.parse(signed.text) as {
    protected: string;
    payload: string;
    signature: string;
  };

  it('is the flattened JWS JSON serialization, members in order, no whitespace (RFC 7515 §7.2.2)', () => {
    expect(signed.text).toMatch(FLATTENED);
    expect(Buffer.from(signed.bytes).toString('utf8')).toBe(signed.text);
  });

  it('has exactly the protected header {"alg":"EdDSA","kid":…,"typ":"tongban+jws"}', () => {
    expect(fromB64u(parts.protected)).toBe(
      `{"alg":"EdDSA","kid":"${harbinKey.kid}","typ":"tongban+jws"}`,
    );
  });

  it('carries the RFC 8785 canonical JSON of the envelope as payload', () => {
    expect(fromB64u(parts.payload)).toBe(canonicalText(env));
  });

  it('verifies with plain jose flattenedVerify (independent check)', async () => {
    const result = await flattenedVerify(parts, importPublicJwk(harbinKey.publicJwk), {
      algorithms: ['EdDSA'],
    });
    expect(result.protectedHeader).toEqual({
      alg: 'EdDSA',
      kid: harbinKey.kid,
      typ: 'tongban+jws',
    });
    expect(JSON.parse(Buffer.from(result.payload).toString('utf8'))).toEqual(env);
  });

  it('is deterministic (Ed25519, RFC 8032 §5.1.6)', () => {
    expect(signEnvelope(env, harbinKey).text).toBe(signed.text);
  });

  it('signs only the contract members, leaving out an absent caseRef', () => {
    const loose = { ...envelope({ caseRef: undefined }), extra: 'dropped' } as Envelope;
    const payload = JSON.parse(
      fromB64u(JSON.parse(signEnvelope(loose, harbinKey).text).payload),
    ) as object;
    expect(Object.keys(payload).sort()).toEqual([
      'body',
      'contract',
      'from',
      'id',
      'issuedAt',
      'to',
      'type',
    ]);
  });

  describe('when the envelope would be refused by the receiver', () => {
    it.each([
      ['from is not a city code', envelope({ from: 'Harbin' }), '/from'],
      ['issuedAt is not UTC', envelope({ issuedAt: '2026-06-18T17:30:00+08:00' }), '/issuedAt'],
      ['id is upper case', envelope({ id: '7D444840-9DC0-11D1-B245-5FFDCE74FAD2' }), '/id'],
    ])('refuses to sign: %s', async (_why, env, pointer) => {
      const err = await refusal(() => signEnvelope(env, harbinKey));
      expect(err.code).toBe('internal');
      expect(err.details.pointer).toBe(pointer);
    });

    it('refuses a body that has no JSON form', async () => {
      const err = await refusal(() => signEnvelope(envelope({ body: { n: NaN } }), harbinKey));
      expect(err.details.pointer).toBe('/body/n');
    });
  });

  describe('when the key is not a private Ed25519 key', () => {
    it('refuses to sign', async () => {
      const publicOnly = { ...harbinKey, privateKey: importPublicJwk(harbinKey.publicJwk) };
      expect((await refusal(() => signEnvelope(envelope(), publicOnly))).code).toBe(
        'config_invalid',
      );
    });
  });
});

describe('signCompact and compactToFlattened', () => {
  const env = envelope({ type: 'delegation.view', body: null });
  const compact = signCompact(env, harbinKey);

  it('is the compact serialization of the same parts (RFC 7515 §7.1)', async () => {
    expect(compact.split('.')).toHaveLength(3);
    const { payload } = await compactVerify(compact, importPublicJwk(harbinKey.publicJwk), {
      algorithms: ['EdDSA'],
    });
    expect(Buffer.from(payload).toString('utf8')).toBe(canonicalText(env));
  });

  it('converts losslessly to the flattened form signEnvelope produces', () => {
    expect(compactToFlattened(compact).text).toBe(signEnvelope(env, harbinKey).text);
    const {
      protected: p,
      payload,
      signature,
    } = JSON.parse(compactToFlattened(compact).text) as Record<string, string>;
    expect(`${p}.${payload}.${signature}`).toBe(compact);
  });

  describe('when the compact JWS is malformed', () => {
    it.each([
      ['two parts', 'a.b'],
      ['four parts', 'a.b.c.d'],
      ['a space', `${compact} `],
      ['standard base64', compact.replace(/-/g, '+')],
      ['padding', `${compact}=`],
    ])('refuses %s as signature_malformed', async (_why, text) => {
      expect((await refusal(() => compactToFlattened(text))).code).toBe('signature_malformed');
    });
  });
});

describe('round trip', () => {
  it('sign → verifyEnvelope returns the envelope, header and digest of the exact bytes', async () => {
    const env = envelope();
    const signed = signEnvelope(env, harbinKey);
    const verified = await verifyEnvelope(signed.bytes, context());
    expect(verified.envelope).toEqual(env);
    expect(verified.header).toEqual({ alg: 'EdDSA', kid: harbinKey.kid, typ: 'tongban+jws' });
    expect(verified.digest).toBe(sha256Digest(signed.bytes));
    expect(verified.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('signCompact → verifyCompact, digest of the flattened form', async () => {
    const env = envelope({ type: 'delegation.view', body: null });
    const verified = await verifyCompact(
      signCompact(env, harbinKey),
      context(undefined, { expectedType: 'delegation.view' }),
    );
    expect(verified.envelope).toEqual(env);
    expect(verified.digest).toBe(sha256Digest(signEnvelope(env, harbinKey).bytes));
  });

  it('keeps non-ASCII text byte for byte', async () => {
    const env = envelope({ body: { authority: '昆明市市场监督管理局', emoji: '🧾' } });
    const verified = await verifyEnvelope(utf8(signEnvelope(env, harbinKey).text), context());
    expect(verified.envelope.body).toEqual(env.body);
  });
});
