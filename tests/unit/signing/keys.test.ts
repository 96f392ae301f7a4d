import { createHash, createPublicKey, generateKeyPairSync, sign, verify } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { calculateJwkThumbprint } from 'jose';
import {
  cityKeyFromPrivateJwk,
  generateCityKey,
  importPrivateJwk,
  importPublicJwk,
  jwkThumbprint,
  publicJwks,
  readPrivateKeyFile,
  writePrivateKeyFile,
} from '../../../gateway/signing';
import { refusal } from './fixtures';
import rfc8037 from '../../vectors/rfc8037.json';

const A1 = rfc8037.privateJwk.jwk;
const A2 = rfc8037.publicJwk.jwk;

describe('RFC 8037 Appendix A keys', () => {
  it('A.1: imports the private key and derives the A.2 public key', () => {
    const key = importPrivateJwk(A1);
    expect(createPublicKey(key).export({ format: 'jwk' })).toEqual(A2);
  });

  it('A.2: imports the public key', () => {
    expect(importPublicJwk(A2).export({ format: 'jwk' })).toEqual(A2);
  });

  it('A.3: the thumbprint input hashes to the published value', () => {
    const digest = createHash('sha256').update(rfc8037.thumbprint.input).digest();
    expect(digest.toString('hex')).toBe(rfc8037.thumbprint.sha256Hex);
    expect(digest.toString('base64url')).toBe(rfc8037.thumbprint.base64url);
  });

  it('A.3: jwkThumbprint gives kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k, as jose does', async () => {
    expect(jwkThumbprint(A2)).toBe('kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k');
    expect(await calculateJwkThumbprint(A2, 'sha256')).toBe(jwkThumbprint(A2));
  });

  it('A.1 as a city key: kid is the A.3 thumbprint, public JWK carries alg and use', () => {
    const key = cityKeyFromPrivateJwk(A1);
    expect(key.kid).toBe(rfc8037.thumbprint.base64url);
    expect(key.publicJwk).toEqual({ ...A2, kid: key.kid, alg: 'EdDSA', use: 'sig' });
  });
});

describe('generateCityKey', () => {
  it('makes an Ed25519 pair whose kid is the RFC 7638 thumbprint', async () => {
    const { cityKey, privateJwk, publicJwk } = generateCityKey();
    expect(publicJwk).toEqual({
      kty: 'OKP',
      crv: 'Ed25519',
      x: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      kid: await calculateJwkThumbprint(publicJwk, 'sha256'),
      alg: 'EdDSA',
      use: 'sig',
    });
    expect(privateJwk).toEqual({ ...publicJwk, d: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) });
    expect(cityKey.kid).toBe(publicJwk.kid);
    const sig = sign(null, Buffer.from('x'), cityKey.privateKey);
    expect(verify(null, Buffer.from('x'), importPublicJwk(publicJwk), sig)).toBe(true);
  });

  it('makes a different key each time', () => {
    expect(generateCityKey().publicJwk.kid).not.toBe(generateCityKey().publicJwk.kid);
  });
});

/** The Edwards identity (0, 1), encoded: y = 1 little-endian, sign bit 0. */
const SMALL_ORDER_X = Buffer.concat([Buffer.from([1]), Buffer.alloc(31)]).toString('base64url');

describe('when importing a JWK that is not an Ed25519 key', () => {
  const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({
    format: 'jwk',
  });
  const p256 = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({
    format: 'jwk',
  });

  it.each([
    ['RSA', rsa, '/kty', /key type "RSA"/],
    ['EC P-256', p256, '/kty', /key type "EC"/],
    ['X25519', { ...A2, crv: 'X25519' }, '/crv', /curve "X25519"/],
    ['Ed448', { ...A2, crv: 'Ed448' }, '/crv', /curve "Ed448"/],
    ['oct', { kty: 'oct', k: 'AAAA' }, '/kty', /key type "oct"/],
    ['short x', { ...A2, x: 'AAAA' }, '/x', /32 bytes/],
    ['padded x', { ...A2, x: A2.x + '=' }, '/x', /32 bytes/],
    ['alg ES256', { ...A2, alg: 'ES256' }, '/alg', /EdDSA/],
    ['use enc', { ...A2, use: 'enc' }, '/use', /sig/],
    ['kid not the thumbprint', { ...A2, kid: 'k1' }, '/kid', /thumbprint/],
    // the identity point: R = identity, S = 0 would verify for every message under it
    ['a small-order x (the identity point)', { ...A2, x: SMALL_ORDER_X }, '/x', /small-order/],
    ['private member in a public JWK', A1, '/d', /must not contain/],
    ['not an object', 'OKP', '', /JSON object/],
  ])('refuses %s', async (_what, jwk, pointer, message) => {
    const err = await refusal(() => importPublicJwk(jwk));
    expect(err.code).toBe('config_invalid');
    expect(err.details.pointer).toBe(pointer);
    expect(err.message).toMatch(message);
  });

  it('refuses a private JWK without d', async () => {
    expect((await refusal(() => importPrivateJwk(A2))).details.pointer).toBe('/d');
  });

  it('refuses a private JWK whose x is not the public key of d', async () => {
    const other = generateCityKey().publicJwk.x;
    const err = await refusal(() => importPrivateJwk({ ...A1, x: other }));
    expect(err.message).toMatch(/not the public key of "d"/);
  });
});

describe('private key files', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tongban-keys-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes mode 0600 and reads back the same key', () => {
    const { privateJwk, cityKey } = generateCityKey();
    const path = join(dir, 'nested', 'signing.jwk.json');
    writePrivateKeyFile(path, privateJwk);
    if (process.platform !== 'win32') expect(statSync(path).mode & 0o777).toBe(0o600);
    const read = readPrivateKeyFile(path);
    expect(read.kid).toBe(cityKey.kid);
    expect(read.publicJwk).toEqual(cityKey.publicJwk);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual(privateJwk);
  });

  it('replaces an existing, laxer file with a 0600 one', () => {
    const path = join(dir, 'k.json');
    writeFileSync(path, '{}', { mode: 0o644 });
    writePrivateKeyFile(path, generateCityKey().privateJwk);
    if (process.platform !== 'win32') expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  describe('when the file is wrong', () => {
    it('names the file when it is not JSON', async () => {
      const path = join(dir, 'bad.json');
      writeFileSync(path, 'not json');
      const err = await refusal(() => readPrivateKeyFile(path));
      expect(err.code).toBe('config_invalid');
      expect(err.message).toContain(path);
      expect(err.cause).toBeInstanceOf(SyntaxError);
    });

    it('names the file and the member when the key is not Ed25519', async () => {
      const path = join(dir, 'rsa.json');
      writeFileSync(path, JSON.stringify({ ...A1, kty: 'RSA' }));
      const err = await refusal(() => readPrivateKeyFile(path));
      expect(err.message).toContain(path);
      expect(err.message).toContain('/kty');
    });

    it('refuses to write a JWK it could not read back', async () => {
      const path = join(dir, 'never.json');
      await refusal(() =>
        writePrivateKeyFile(path, { ...generateCityKey().privateJwk, d: 'AAAA' }),
      );
      expect(() => statSync(path)).toThrow();
    });
  });
});

describe('publicJwks', () => {
  it('serves public members only, one per kid, for current and retired keys', () => {
    const current = generateCityKey();
    const retired = generateCityKey();
    const leaky = { ...retired.privateJwk }; // even handed a private JWK, d must not leak
    const set = publicJwks([current.cityKey, leaky, current.publicJwk]);
    expect(set).toEqual({ keys: [current.publicJwk, retired.publicJwk] });
    expect(JSON.stringify(set)).not.toContain('"d"');
  });
});
