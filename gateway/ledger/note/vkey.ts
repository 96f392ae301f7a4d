import type { KeyObject } from 'node:crypto';
import { TongbanError } from '../../errors';
import { bytesEqual, toHex } from '../merkle/bytes';
import { decodeBase64, encodeBase64 } from './base64';
import { ed25519PublicKeyFromRaw, rawEd25519PublicKey } from './ed25519';
import { ED25519_SIG_TYPE, keyIdOf } from './key-id';
import { isValidKeyName } from './key-name';

export interface NoteVerifier {
  name: string;
  keyId: Uint8Array;
  publicKey: KeyObject;
}

/** The verifier key string `<name>+<8 hex key ID>+<base64(0x01 || public key)>`. */
export function vkeyOf(name: string, publicKey: KeyObject): string {
  if (!isValidKeyName(name))
    throw new TongbanError('invalid_parameter', `invalid note key name: ${JSON.stringify(name)}`);
  const raw = rawEd25519PublicKey(publicKey);
  return `${name}+${toHex(keyIdOf(name, raw))}+${encodeBase64(Uint8Array.of(ED25519_SIG_TYPE, ...raw))}`;
}

/** Parses and self-checks a vkey; the key ID must match the name and key it claims. */
export function parseVkey(vkey: string): NoteVerifier {
  const bad = (why: string): TongbanError =>
    new TongbanError('invalid_parameter', `malformed verifier key: ${why}`);
  // Only the first two '+' separate fields: the base64 key may itself contain '+'.
  const m = /^([^+]*)\+([^+]*)\+(.*)$/s.exec(vkey);
  if (!m) throw bad('expected <name>+<key id>+<key>');
  const [, name = '', idHex = '', keyB64 = ''] = m;
  if (!isValidKeyName(name)) throw bad('invalid key name');
  if (!/^[0-9a-fA-F]{8}$/.test(idHex)) throw bad('key id is not 8 hex digits');
  const key = decodeBase64(keyB64);
  if (!key || key.length !== 33 || key[0] !== ED25519_SIG_TYPE)
    throw bad('not an Ed25519 (type 0x01) key');
  const raw = key.subarray(1);
  const keyId = keyIdOf(name, raw);
  if (!bytesEqual(keyId, Buffer.from(idHex, 'hex')))
    throw bad('key id does not match name and key');
  return { name, keyId, publicKey: ed25519PublicKeyFromRaw(raw) };
}
