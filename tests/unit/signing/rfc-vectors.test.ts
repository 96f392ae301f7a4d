import { createHmac, createSecretKey, sign, verify as nodeVerify } from 'node:crypto';
import { compactVerify, flattenedVerify } from 'jose';
import {
  compactToFlattened,
  importPrivateJwk,
  importPublicJwk,
  verifyCompact,
  verifyEnvelope,
} from '../../../gateway/signing';
import { checkSignature } from '../../../gateway/signing/verify/check-signature';
import { parseFlattened } from '../../../gateway/signing/verify/parse-flattened';
import {
  b64u,
  canonicalText,
  context,
  envelope,
  fromB64u,
  harbinKey,
  refusal,
  signRaw,
  utf8,
} from './fixtures';
import rfc7515 from '../../vectors/rfc7515.json';
import rfc7797 from '../../vectors/rfc7797.json';
import rfc8037 from '../../vectors/rfc8037.json';

const hmac = (key: string, input: string): string =>
  createHmac('sha256', Buffer.from(key, 'base64url')).update(input).digest('base64url');

describe('RFC 8037 Appendix A.4: Ed25519 JWS', () => {
  const v = rfc8037.signing;
  const publicKey = importPublicJwk(rfc8037.publicJwk.jwk);

  it('the vector is self-consistent', () => {
    expect(b64u(v.protectedHeader)).toBe(v.protectedB64);
    expect(b64u(v.payload)).toBe(v.payloadB64);
    expect(`${v.signingInput}.${v.signatureB64}`).toBe(v.compact);
  });

  it('the A.1 key reproduces the signature (Ed25519 is deterministic)', () => {
    const sig = sign(null, utf8(v.signingInput), importPrivateJwk(rfc8037.privateJwk.jwk));
    expect(Buffer.from(sig).toString('base64url')).toBe(v.signatureB64);
  });

  it('verifies with the A.2 key (node:crypto and jose)', async () => {
    expect(
      nodeVerify(null, utf8(v.signingInput), publicKey, Buffer.from(v.signatureB64, 'base64url')),
    ).toBe(true);
    const { payload } = await compactVerify(v.compact, publicKey, { algorithms: ['EdDSA'] });
    expect(Buffer.from(payload).toString()).toBe(v.payload);
  });

  it("verifies with our pipeline's signature step", async () => {
    const jws = parseFlattened(compactToFlattened(v.compact).bytes);
    expect(() => checkSignature(jws, publicKey)).not.toThrow();
  });

  describe('when one bit of the signature changes', () => {
    it('is refused as bad_signature', async () => {
      const sig = Buffer.from(v.signatureB64, 'base64url');
      sig[0] = (sig[0] ?? 0) ^ 1;
      const jws = {
        protected: v.protectedB64,
        payload: v.payloadB64,
        signature: sig.toString('base64url'),
      };
      expect((await refusal(() => checkSignature(jws, publicKey))).code).toBe('bad_signature');
    });
  });

  describe('when it reaches the full pipeline', () => {
    it('is refused: it is not a Tongban envelope (no kid)', async () => {
      const err = await refusal(() => verifyCompact(v.compact, context()));
      expect(err.code).toBe('signature_malformed');
      expect(err.details.pointer).toBe('/protected/kid');
    });
  });
});

describe('RFC 7515 Appendix A.1: HS256', () => {
  const v = rfc7515.hs256;

  it('the vector is self-consistent', () => {
    expect(b64u(v.protectedHeader)).toBe(v.protectedB64);
    expect(b64u(v.payload)).toBe(v.payloadB64);
    expect(hmac(v.key.k, `${v.protectedB64}.${v.payloadB64}`)).toBe(v.signatureB64);
  });

  it('jose verifies it with its symmetric key (so the token itself is valid)', async () => {
    const { payload } = await compactVerify(
      v.compact,
      createSecretKey(Buffer.from(v.key.k, 'base64url')),
    );
    expect(Buffer.from(payload).toString()).toBe(v.payload);
  });

  describe('when it is offered to our pipeline', () => {
    it('is refused as algorithm_not_allowed', async () => {
      const err = await refusal(() => verifyCompact(v.compact, context()));
      expect(err.code).toBe('algorithm_not_allowed');
      expect(err.details.pointer).toBe('/protected/alg');
    });

    it('is refused by the signature step alone, whatever key is given', async () => {
      const jws = parseFlattened(compactToFlattened(v.compact).bytes);
      expect(
        (await refusal(() => checkSignature(jws, importPublicJwk(rfc8037.publicJwk.jwk)))).code,
      ).toBe('algorithm_not_allowed');
    });
  });

  describe('when an HS256 token is keyed with the public key (algorithm confusion)', () => {
    const publicKey = importPublicJwk(harbinKey.publicJwk);
    const secrets = {
      'raw x bytes': Buffer.from(harbinKey.publicJwk.x, 'base64url'),
      'SPKI PEM': Buffer.from(publicKey.export({ format: 'pem', type: 'spki' })),
      'JWK JSON': Buffer.from(JSON.stringify(harbinKey.publicJwk)),
    };
    it.each(Object.entries(secrets))(
      'is refused as algorithm_not_allowed (secret = %s)',
      async (_name, secret) => {
        const header = b64u(
          JSON.stringify({ alg: 'HS256', kid: harbinKey.kid, typ: 'tongban+jws' }),
        );
        const payload = b64u(canonicalText(envelope()));
        const signature = createHmac('sha256', secret)
          .update(`${header}.${payload}`)
          .digest('base64url');
        const bytes = utf8(JSON.stringify({ protected: header, payload, signature }));
        expect((await refusal(() => verifyEnvelope(bytes, context()))).code).toBe(
          'algorithm_not_allowed',
        );
        await expect(
          flattenedVerify({ protected: header, payload, signature }, publicKey),
        ).rejects.toThrow();
      },
    );
  });
});

describe('RFC 7515 Appendix A.5: unsecured JWS (alg none)', () => {
  const v = rfc7515.unsecured;

  it('the vector is self-consistent', () => {
    expect(b64u(v.protectedHeader)).toBe(v.protectedB64);
    expect(v.compact).toBe(`${v.protectedB64}.${v.payloadB64}.`);
  });

  describe('when it is offered as a compact or flattened JWS', () => {
    it('is refused as algorithm_not_allowed', async () => {
      expect((await refusal(() => verifyCompact(v.compact, context()))).code).toBe(
        'algorithm_not_allowed',
      );
    });

    it('is refused even with a Tongban kid, typ and envelope', async () => {
      const header = b64u(JSON.stringify({ alg: 'none', kid: harbinKey.kid, typ: 'tongban+jws' }));
      const bytes = utf8(
        JSON.stringify({
          protected: header,
          payload: b64u(canonicalText(envelope())),
          signature: '',
        }),
      );
      expect((await refusal(() => verifyEnvelope(bytes, context()))).code).toBe(
        'algorithm_not_allowed',
      );
    });
  });
});

describe('RFC 7797 Section 4: unencoded payload option', () => {
  const v = rfc7797;

  it('the vectors are self-consistent (4.1 and 4.2 signatures recomputed)', () => {
    expect(b64u(v.encoded.protectedHeader)).toBe(v.encoded.protectedB64);
    expect(b64u(v.payload)).toBe(v.encoded.payloadB64);
    expect(hmac(v.key.k, `${v.encoded.protectedB64}.${v.encoded.payloadB64}`)).toBe(
      v.encoded.signatureB64,
    );
    expect(b64u(v.unencoded.protectedHeader)).toBe(v.unencoded.protectedB64);
    expect(hmac(v.key.k, `${v.unencoded.protectedB64}.${v.payload}`)).toBe(
      v.unencoded.signatureB64,
    );
    expect(fromB64u(v.unencoded.protectedB64)).toContain('"b64":false');
  });

  describe('when the 4.2 example is offered', () => {
    it('flattened, with its raw "$.02" payload: refused as signature_malformed', async () => {
      const err = await refusal(() =>
        verifyEnvelope(utf8(JSON.stringify(v.unencoded.flattened)), context()),
      );
      expect(err.code).toBe('signature_malformed');
    });

    it('compact with detached payload: refused at the crit/b64 header check', async () => {
      const err = await refusal(() => verifyCompact(v.unencoded.compactDetached, context()));
      expect(err.code).toBe('signature_malformed');
      expect(err.details.pointer).toBe('/protected/crit');
    });
  });

  describe('when a Tongban sender signs with b64=false', () => {
    const header = {
      alg: 'EdDSA',
      b64: false,
      crit: ['b64'],
      kid: harbinKey.kid,
      typ: 'tongban+jws',
    };
    it('is refused as signature_malformed at crit', async () => {
      const err = await refusal(() =>
        verifyEnvelope(signRaw(header, canonicalText(envelope()), harbinKey), context()),
      );
      expect(err.code).toBe('signature_malformed');
      expect(err.details.pointer).toBe('/protected/crit');
    });

    it('is refused as signature_malformed at b64 even without crit', async () => {
      const noCrit = { alg: header.alg, b64: false, kid: header.kid, typ: header.typ };
      const err = await refusal(() =>
        verifyEnvelope(signRaw(noCrit, canonicalText(envelope()), harbinKey), context()),
      );
      expect(err.details.pointer).toBe('/protected/b64');
    });
  });
});
