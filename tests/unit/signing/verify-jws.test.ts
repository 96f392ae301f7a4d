import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { signEnvelope, verifyEnvelope, type Envelope } from '../../../gateway/signing';
import {
  HARBIN,
  KUNMING,
  b64u,
  canonicalText,
  context,
  envelope,
  fromB64u,
  hangzhouKey,
  harbinKey,
  refusal,
  seededKey,
  signRaw,
  utf8,
} from './fixtures';

type Parts = { protected: string; payload: string; signature: string };

const signed = (env: Envelope = envelope()): Uint8Array => signEnvelope(env, harbinKey).bytes;
const partsOf = (bytes: Uint8Array): Parts =>
  JSON.parse(Buffer.from(bytes).toString('utf8')) as Parts;
const serialize = (value: unknown): Uint8Array => utf8(JSON.stringify(value));
const header = { alg: 'EdDSA', kid: harbinKey.kid, typ: 'tongban+jws' };

async function codeOf(bytes: Uint8Array, ctx = context()): Promise<string> {
  return (await refusal(() => verifyEnvelope(bytes, ctx))).code;
}

// Steps 1–9 of the pipeline: size, JWS syntax, header, sender, key and signature.
describe('verifyEnvelope', () => {
  it('accepts a well-formed message', async () => {
    await expect(verifyEnvelope(signed(), context())).resolves.toMatchObject({
      envelope: envelope(),
    });
  });

  describe('when the message is larger than maxBytes', () => {
    it('is refused as payload_too_large before anything is parsed', async () => {
      const bytes = signed();
      expect(await codeOf(bytes, context(undefined, { maxBytes: bytes.byteLength - 1 }))).toBe(
        'payload_too_large',
      );
      expect(await codeOf(new Uint8Array(70_000).fill(0x7b))).toBe('payload_too_large');
      await expect(
        verifyEnvelope(bytes, context(undefined, { maxBytes: bytes.byteLength })),
      ).resolves.toBeDefined();
    });
  });

  describe('when the body is not a JSON object', () => {
    it.each([
      ['not JSON', utf8('hello')],
      ['ill-formed UTF-8', new Uint8Array([0x7b, 0xff, 0x7d])],
      ['a BOM before the JSON', new Uint8Array([0xef, 0xbb, 0xbf, ...signed()])],
      ['a JSON array', serialize([partsOf(signed())])],
      ['empty', new Uint8Array()],
    ])('refuses %s as signature_malformed', async (_why, bytes) => {
      expect(await codeOf(bytes)).toBe('signature_malformed');
    });
  });

  describe('when the flattened JWS has an extra or missing member', () => {
    it.each([
      ['an unprotected header', { header: { kid: 'x' } }, '/header'],
      ['general-serialization signatures', { signatures: [] }, '/signatures'],
      ['an unknown member', { foo: 1 }, '/foo'],
    ])('refuses %s', async (_why, extra, pointer) => {
      const err = await refusal(() =>
        verifyEnvelope(serialize({ ...partsOf(signed()), ...extra }), context()),
      );
      expect(err.code).toBe('signature_malformed');
      expect(err.details.pointer).toBe(pointer);
    });

    it.each(['protected', 'payload', 'signature'])('refuses a missing %s', async (name) => {
      const parts: Record<string, string> = { ...partsOf(signed()) };
      delete parts[name];
      expect(await codeOf(serialize(parts))).toBe('signature_malformed');
    });

    it('refuses a member that is not a base64url string', async () => {
      expect(await codeOf(serialize({ ...partsOf(signed()), signature: 42 }))).toBe(
        'signature_malformed',
      );
      expect(await codeOf(serialize({ ...partsOf(signed()), payload: 'a+b/' }))).toBe(
        'signature_malformed',
      );
    });
  });

  describe('when a byte of the protected header changes', () => {
    it('refuses a header that no longer decodes as signature_malformed', async () => {
      const parts = partsOf(signed());
      expect(await codeOf(serialize({ ...parts, protected: 'X' + parts.protected.slice(1) }))).toBe(
        'signature_malformed',
      );
    });

    it('refuses an equivalent header with other bytes as bad_signature', async () => {
      const parts = partsOf(signed());
      const other = b64u(JSON.stringify({ ...header, typ: 'application/tongban+jws' }));
      expect(await codeOf(serialize({ ...parts, protected: other }))).toBe('bad_signature');
    });
  });

  describe('when the protected header is not exactly alg, kid and typ', () => {
    it.each([
      ['alg ES256', { ...header, alg: 'ES256' }, 'algorithm_not_allowed', '/protected/alg'],
      ['alg "eddsa"', { ...header, alg: 'eddsa' }, 'algorithm_not_allowed', '/protected/alg'],
      ['no alg', { kid: header.kid, typ: header.typ }, 'algorithm_not_allowed', '/protected/alg'],
      ['no kid', { alg: 'EdDSA', typ: header.typ }, 'signature_malformed', '/protected/kid'],
      ['no typ', { alg: 'EdDSA', kid: header.kid }, 'signature_malformed', '/protected/typ'],
      ['typ JWT', { ...header, typ: 'JWT' }, 'signature_malformed', '/protected/typ'],
      [
        'an embedded jwk',
        { ...header, jwk: hangzhouKey.publicJwk },
        'signature_malformed',
        '/protected/jwk',
      ],
      [
        'a jku',
        { ...header, jku: 'https://evil.example/jwks' },
        'signature_malformed',
        '/protected/jku',
      ],
    ])('refuses %s', async (_why, h, code, pointer) => {
      const err = await refusal(() =>
        verifyEnvelope(signRaw(h, canonicalText(envelope()), harbinKey), context()),
      );
      expect([err.code, err.details.pointer]).toEqual([code, pointer]);
    });

    it('accepts the RFC 7515 §4.1.9 equivalent typ spellings', async () => {
      for (const typ of ['application/tongban+jws', 'Tongban+JWS']) {
        const bytes = signRaw({ ...header, typ }, canonicalText(envelope()), harbinKey);
        await expect(verifyEnvelope(bytes, context())).resolves.toMatchObject({ header: { typ } });
      }
    });
  });

  describe('when a byte of the payload changes', () => {
    it('is refused as bad_signature', async () => {
      const parts = partsOf(signed());
      const payload = b64u(fromB64u(parts.payload).replace('"D-1"', '"D-2"'));
      expect(payload).not.toBe(parts.payload);
      expect(await codeOf(serialize({ ...parts, payload }))).toBe('bad_signature');
    });
  });

  describe('when a byte of the signature changes', () => {
    it('is refused as bad_signature', async () => {
      const parts = partsOf(signed());
      const sig = Buffer.from(parts.signature, 'base64url');
      sig[10] = (sig[10] ?? 0) ^ 0x80;
      expect(await codeOf(serialize({ ...parts, signature: sig.toString('base64url') }))).toBe(
        'bad_signature',
      );
      expect(await codeOf(serialize({ ...parts, signature: parts.signature.slice(0, 40) }))).toBe(
        'bad_signature',
      );
      expect(await codeOf(serialize({ ...parts, signature: '' }))).toBe('bad_signature');
    });
  });

  describe('when another key signs under the sender kid', () => {
    it('is refused as bad_signature', async () => {
      const bytes = signRaw(header, canonicalText(envelope()), hangzhouKey);
      expect(await codeOf(bytes)).toBe('bad_signature');
    });
  });

  describe('when the sender is unknown', () => {
    it('is refused as unknown_sender, before the signature is looked at', async () => {
      const err = await refusal(() =>
        verifyEnvelope(signed(envelope({ from: '120000' })), context()),
      );
      expect(err.code).toBe('unknown_sender');
      expect(err.details.extra).toEqual({ city: '120000' });
    });

    it('refuses a from that is not a city code as signature_malformed', async () => {
      const bytes = signRaw(header, JSON.stringify({ ...envelope(), from: 'Harbin' }), harbinKey);
      const err = await refusal(() => verifyEnvelope(bytes, context()));
      expect([err.code, err.details.pointer]).toEqual(['signature_malformed', '/from']);
    });
  });

  describe('when the kid is unknown for that city', () => {
    it('is refused as unknown_key, naming city and kid', async () => {
      const stranger = seededKey(9);
      const err = await refusal(() =>
        verifyEnvelope(signEnvelope(envelope(), stranger).bytes, context()),
      );
      expect(err.code).toBe('unknown_key');
      expect(err.details.extra).toEqual({ city: HARBIN, kid: stranger.kid });
    });

    it('is refused as unknown_key for a known city with no keys', async () => {
      const bytes = signEnvelope(envelope({ from: KUNMING }), harbinKey).bytes;
      expect(await codeOf(bytes)).toBe('unknown_key');
    });

    it('refuses a resolver that returns a non-Ed25519 key as config_invalid', async () => {
      const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey;
      expect(await codeOf(signed(), context(undefined, { resolveKey: () => rsa }))).toBe(
        'config_invalid',
      );
    });

    it('accepts a synchronous resolver and a private key object', async () => {
      const ctx = context(undefined, {
        resolveKey: () =>
          createPrivateKey(harbinKey.privateKey.export({ format: 'pem', type: 'pkcs8' })),
      });
      await expect(verifyEnvelope(signed(), ctx)).resolves.toBeDefined();
    });
  });
});
