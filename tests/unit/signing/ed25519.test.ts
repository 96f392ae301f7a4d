import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
} from 'node:crypto';
import sodium from 'sodium-native';
import {
  ed25519,
  opensslEd25519,
  sodiumEd25519,
  type Ed25519,
} from '../../../gateway/signing/ed25519';
import rfc8032 from '../../vectors/rfc8032.json';

const hex = (s: string): Buffer => Buffer.from(s, 'hex');

function keysOf(v: { secretKey: string; publicKey: string }): { priv: KeyObject; pub: KeyObject } {
  const jwk = {
    kty: 'OKP',
    crv: 'Ed25519',
    d: hex(v.secretKey).toString('base64url'),
    x: hex(v.publicKey).toString('base64url'),
  };
  const priv = createPrivateKey({ key: jwk, format: 'jwk' });
  return { priv, pub: createPublicKey(priv) };
}

const implementations: Ed25519[] = [sodiumEd25519(sodium), opensslEd25519];

describe('the Ed25519 implementation in use', () => {
  it('is libsodium where sodium-native loads (as on every supported platform)', () => {
    expect(ed25519.name).toBe('libsodium');
  });
});

describe.each(implementations.map((i) => [i.name, i] as const))('Ed25519 via %s', (_, impl) => {
  describe(`${rfc8032.source}`, () => {
    it.each(rfc8032.vectors.map((v) => [v.name, v] as const))('%s: signs and verifies', (_n, v) => {
      const { priv, pub } = keysOf(v);
      expect(createPublicKey(priv).export({ format: 'jwk' }).x).toBe(
        hex(v.publicKey).toString('base64url'),
      );
      expect(impl.sign(hex(v.message), priv).toString('hex')).toBe(v.signature);
      expect(impl.verify(hex(v.message), hex(v.signature), pub)).toBe(true);
    });

    it.each(rfc8032.vectors.map((v) => [v.name, v] as const))(
      '%s: refuses the signature on another message, a flipped bit, another key',
      (_n, v) => {
        const { pub } = keysOf(v);
        const sig = hex(v.signature);
        expect(impl.verify(Buffer.concat([hex(v.message), Buffer.from([0])]), sig, pub)).toBe(
          false,
        );
        const flipped = Buffer.from(sig);
        flipped.writeUInt8(flipped.readUInt8(10) ^ 0x01, 10);
        expect(impl.verify(hex(v.message), flipped, pub)).toBe(false);
        const other = keysOf(rfc8032.vectors.find((w) => w !== v)!).pub;
        expect(impl.verify(hex(v.message), sig, other)).toBe(false);
        expect(impl.verify(hex(v.message), sig.subarray(0, 63), pub)).toBe(false);
      },
    );
  });

  it('agrees with the other implementation on fresh keys (either signs, both verify)', () => {
    const other = implementations.find((i) => i !== impl)!;
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const message = new TextEncoder().encode('{"type":"delegation.create"}');
    const sig = impl.sign(message, privateKey);
    expect(sig).toEqual(other.sign(message, privateKey));
    expect(other.verify(message, sig, publicKey)).toBe(true);
    expect(impl.verify(message.subarray(1), sig, publicKey)).toBe(false);
  });

  it('refuses keys of the wrong kind', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const x = generateKeyPairSync('x25519');
    expect(() => impl.sign(new Uint8Array(1), publicKey)).toThrow();
    expect(() => impl.sign(new Uint8Array(1), x.privateKey)).toThrow();
    expect(() => impl.verify(new Uint8Array(1), new Uint8Array(64), privateKey)).toThrow();
  });
});

describe('usablePublicKey', () => {
  const identity = Buffer.concat([Buffer.from([1]), Buffer.alloc(31)]);
  it('libsodium: a real key yes, the identity point (small order) no', () => {
    const real = Buffer.from(rfc8032.vectors[0]!.publicKey, 'hex');
    expect(sodiumEd25519(sodium).usablePublicKey(real)).toBe(true);
    expect(sodiumEd25519(sodium).usablePublicKey(identity)).toBe(false);
    expect(sodiumEd25519(sodium).usablePublicKey(real.subarray(1))).toBe(false);
  });
  it('OpenSSL cannot tell: any 32 bytes (the fallback says so in its documentation)', () => {
    expect(opensslEd25519.usablePublicKey(identity)).toBe(true);
    expect(opensslEd25519.usablePublicKey(identity.subarray(1))).toBe(false);
  });
});

describe('libsodium, stricter than the RFC requires', () => {
  it('refuses a "signature" that a small-order public key would accept for any message', () => {
    // A = the identity point, R = the identity, S = 0: [S]B = R + [k]A holds for every message,
    // so such a key could never bind its holder to anything.
    const identity = Buffer.alloc(32);
    identity[0] = 1;
    const pub = createPublicKey({
      key: { kty: 'OKP', crv: 'Ed25519', x: identity.toString('base64url') },
      format: 'jwk',
    });
    const forged = Buffer.concat([identity, Buffer.alloc(32)]);
    expect(sodiumEd25519(sodium).verify(new TextEncoder().encode('anything'), forged, pub)).toBe(
      false,
    );
  });
});
