import { sign, type KeyObject } from 'node:crypto';
import { TongbanError } from '../../../gateway/errors';
import {
  canonicalJson,
  cityKeyFromSeed,
  importPublicJwk,
  type CityKey,
  type ContractRef,
  type Envelope,
  type VerifyContext,
} from '../../../gateway/signing';

export const HARBIN = '230100';
export const HANGZHOU = '330100';
export const KUNMING = '530100';

/** Deterministic keys: seed = 32 copies of one byte. */
export function seededKey(byte: number): CityKey {
  return cityKeyFromSeed(new Uint8Array(32).fill(byte)).cityKey;
}

export const harbinKey = seededKey(1);
export const hangzhouKey = seededKey(2);

export const CONTRACT: ContractRef = {
  name: 'tongban-exchange',
  version: '1.0.0',
  digest: 'sha256:' + 'ab'.repeat(32),
};

export const NOW = new Date('2026-06-18T09:30:00.000Z');

export function envelope(overrides: Partial<Envelope> = {}): Envelope {
  return {
    id: '7d444840-9dc0-11d1-b245-5ffdce74fad2',
    type: 'delegation.create',
    from: HARBIN,
    to: HANGZHOU,
    contract: { ...CONTRACT },
    issuedAt: NOW.toISOString(),
    caseRef: 'C-230100-2026-000001',
    body: { delegationId: 'D-1', note: '信用修复' },
    ...overrides,
  };
}

/** Hangzhou receiving: it knows Harbin (pinned keys below) and Kunming (no keys pinned). */
export function context(
  keys: Record<string, CityKey[]> = { [HARBIN]: [harbinKey] },
  overrides: Partial<VerifyContext> = {},
): VerifyContext {
  const pinned = new Map<string, KeyObject>();
  for (const [city, list] of Object.entries(keys)) {
    for (const k of list) pinned.set(`${city}/${k.kid}`, importPublicJwk(k.publicJwk));
  }
  return {
    self: HANGZHOU,
    expectedType: 'delegation.create',
    contract: CONTRACT,
    now: NOW,
    maxBytes: 64 * 1024,
    knownCity: (city) => city === HARBIN || city === KUNMING || city in keys,
    resolveKey: (city, kid) => Promise.resolve(pinned.get(`${city}/${kid}`)),
    ...overrides,
  };
}

/** Run `fn` and return the TongbanError it throws (fails the test otherwise). */
export async function refusal(fn: () => unknown): Promise<TongbanError> {
  try {
    await fn();
  } catch (err) {
    if (err instanceof TongbanError) return err;
    throw err;
  }
  throw new Error('expected a TongbanError, nothing was thrown');
}

export function utf8(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

export function b64u(text: string | Uint8Array): string {
  return Buffer.from(typeof text === 'string' ? utf8(text) : text).toString('base64url');
}

export function fromB64u(text: string): string {
  return Buffer.from(text, 'base64url').toString('utf8');
}

/** A flattened JWS with any header and payload, Ed25519-signed: for crafting hostile messages. */
export function signRaw(header: unknown, payload: string | Uint8Array, key: CityKey): Uint8Array {
  const p = b64u(JSON.stringify(header));
  const pl = b64u(payload);
  const signature = Buffer.from(sign(null, utf8(`${p}.${pl}`), key.privateKey)).toString(
    'base64url',
  );
  return utf8(JSON.stringify({ protected: p, payload: pl, signature }));
}

/** The canonical payload text of an envelope, as `signEnvelope` would sign it. */
export function canonicalText(env: Envelope): string {
  return Buffer.from(canonicalJson(env)).toString('utf8');
}
