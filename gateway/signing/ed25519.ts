import {
  sign as opensslSign,
  verify as opensslVerify,
  type JsonWebKey,
  type KeyObject,
} from 'node:crypto';
import type * as SodiumNative from 'sodium-native';

/**
 * Ed25519 (RFC 8032) for the hot path: one signature per message sent, one verification per
 * message received. Keys stay node:crypto `KeyObject`s everywhere else (import, JWKS,
 * thumbprints, jose in the tests); here they are read out once, as raw bytes, into whichever
 * implementation runs the curve.
 *
 * libsodium (through sodium-native, with prebuilt binaries) when it loads: on this project's
 * machines its verify takes about half the CPU of node:crypto's (56 against 113 µs per 1 KB
 * message, measured side by side; docs/operations.md, *Performance*), and the receiving
 * gateway does one per message. Its verify is also the stricter one (it refuses non-canonical
 * and small-order points, which honest signers never produce). node:crypto (OpenSSL) otherwise:
 * same signatures, same verdicts on them (tests/unit/signing/ed25519.test.ts runs the RFC 8032
 * vectors through both; the RFC 8037 and RFC 7515 vectors run through the verify pipeline).
 */
export interface Ed25519 {
  readonly name: 'libsodium' | 'openssl';
  /**
   * Whether 32 bytes can be a signer's public key: a canonical point of the prime-order
   * subgroup. A small-order point would let `R = identity, S = 0` verify for every message
   * (node:crypto's verify accepts that), so its holder could deny anything it signed.
   * libsodium checks; OpenSSL has no such check, so the fallback answers true.
   */
  usablePublicKey(raw: Uint8Array): boolean;
  sign(message: Uint8Array, privateKey: KeyObject): Buffer;
  verify(message: Uint8Array, signature: Uint8Array, publicKey: KeyObject): boolean;
}

function assertKey(key: KeyObject, type: 'private' | 'public'): void {
  if (key.type !== type || key.asymmetricKeyType !== 'ed25519')
    throw new TypeError(`not a ${type} Ed25519 key`);
}

/** node:crypto (OpenSSL), straight through. */
export const opensslEd25519: Ed25519 = {
  name: 'openssl',
  usablePublicKey: (raw) => raw.byteLength === 32,
  sign(message, privateKey) {
    assertKey(privateKey, 'private');
    return opensslSign(null, message, privateKey);
  },
  verify(message, signature, publicKey) {
    assertKey(publicKey, 'public');
    return opensslVerify(null, message, publicKey, signature);
  },
};

type Sodium = typeof SodiumNative;

function jwkOf(key: KeyObject): JsonWebKey {
  return key.export({ format: 'jwk' });
}

/** libsodium, keys read out once per `KeyObject` (a secret key into sodium's guarded memory). */
export function sodiumEd25519(sodium: Sodium): Ed25519 {
  const publicKeys = new WeakMap<KeyObject, Buffer>();
  const secretKeys = new WeakMap<KeyObject, Buffer>();
  const publicBytes = (key: KeyObject): Buffer => {
    let raw = publicKeys.get(key);
    if (raw === undefined) {
      raw = Buffer.from(jwkOf(key).x ?? '', 'base64url');
      publicKeys.set(key, raw);
    }
    return raw;
  };
  const secretBytes = (key: KeyObject): Buffer => {
    let raw = secretKeys.get(key);
    if (raw === undefined) {
      const seed = Buffer.from(jwkOf(key).d ?? '', 'base64url');
      raw = sodium.sodium_malloc(sodium.crypto_sign_SECRETKEYBYTES);
      sodium.crypto_sign_seed_keypair(Buffer.alloc(sodium.crypto_sign_PUBLICKEYBYTES), raw, seed);
      sodium.sodium_memzero(seed);
      secretKeys.set(key, raw);
    }
    return raw;
  };
  const view = (b: Uint8Array): Buffer =>
    Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength);
  return {
    name: 'libsodium',
    usablePublicKey: (raw) =>
      raw.byteLength === sodium.crypto_core_ed25519_BYTES &&
      sodium.crypto_core_ed25519_is_valid_point(view(raw)),
    sign(message, privateKey) {
      assertKey(privateKey, 'private');
      const signature = Buffer.alloc(sodium.crypto_sign_BYTES);
      sodium.crypto_sign_detached(signature, view(message), secretBytes(privateKey));
      return signature;
    },
    verify(message, signature, publicKey) {
      assertKey(publicKey, 'public');
      const pk = publicBytes(publicKey);
      if (signature.byteLength !== sodium.crypto_sign_BYTES || pk.byteLength !== 32) return false;
      return sodium.crypto_sign_verify_detached(view(signature), view(message), pk);
    },
  };
}

function load(): Ed25519 {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return sodiumEd25519(require('sodium-native') as Sodium);
  } catch {
    return opensslEd25519; // no prebuilt binary for this platform: OpenSSL does the same job
  }
}

/** The implementation this process uses. */
export const ed25519: Ed25519 = load();
