/**
 * The worked example of docs/protocol.md, computed from a fixed key seed. Print it with
 *   npx tsx gateway/signing/example/make-example.ts
 * and paste the output between the example markers of the doc; a unit test fails when they differ.
 * The key is public: never use it for anything but this example.
 */
import { canonicalJson } from '../canonical';
import { sha256Digest } from '../digest';
import { base64urlEncode, utf8Encode } from '../encoding';
import { cityKeyFromSeed } from '../keys/from-seed';
import { signCompact } from '../sign/sign-compact';
import { signEnvelope } from '../sign/sign-envelope';
import type { Envelope } from '../types';

/** Seed bytes 0x00, 0x01, …, 0x1f: easy to type into any JOSE library. */
export const EXAMPLE_SEED_HEX = '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f';

export const EXAMPLE_ENVELOPE: Envelope = {
  id: '0b4e7f3a-5c2d-4e8f-9a1b-2c3d4e5f6a7b',
  type: 'delegation.create',
  from: '230100',
  to: '330100',
  contract: {
    name: 'tongban-exchange',
    version: '1.0.0',
    digest: sha256Digest(utf8Encode('illustrative contract document')),
  },
  issuedAt: '2026-06-18T01:30:00Z',
  caseRef: 'C-230100-2026-000123',
  body: { delegationId: 'D-230100-2026-000123-01', authority: '杭州市交通运输局', fine: 2000.5 },
};

export function makeExample() {
  const { privateJwk, publicJwk, cityKey } = cityKeyFromSeed(Buffer.from(EXAMPLE_SEED_HEX, 'hex'));
  const payload = canonicalJson(EXAMPLE_ENVELOPE);
  const protectedHeader = JSON.stringify({ alg: 'EdDSA', kid: cityKey.kid, typ: 'tongban+jws' });
  const jws = signEnvelope(EXAMPLE_ENVELOPE, cityKey);
  const parts = JSON.parse(jws.text) as { protected: string; payload: string; signature: string };
  return {
    privateJwk,
    publicJwk,
    envelope: EXAMPLE_ENVELOPE,
    canonicalPayload: new TextDecoder().decode(payload),
    payloadB64: base64urlEncode(payload),
    protectedHeader,
    protectedB64: parts.protected,
    signature: parts.signature,
    jws: jws.text,
    compact: signCompact(EXAMPLE_ENVELOPE, cityKey),
    digest: sha256Digest(jws.bytes),
  };
}

/** The example as the Markdown that docs/protocol.md carries between its markers. */
export function renderExample(): string {
  const ex = makeExample();
  const block = (lang: string, text: string): string => '```' + lang + '\n' + text + '\n```';
  return [
    `Private key seed (hex, the JWK \`d\`): \`${EXAMPLE_SEED_HEX}\`. Private JWK (published, never use it):`,
    block('json', JSON.stringify(ex.privateJwk)),
    'Public JWK (as served in `/.well-known/jwks.json`; `kid` is its RFC 7638 thumbprint):',
    block('json', JSON.stringify(ex.publicJwk)),
    'Envelope (pretty-printed for reading only):',
    block('json', JSON.stringify(ex.envelope, null, 2)),
    'Canonical payload (RFC 8785): exactly these UTF-8 bytes, no trailing newline:',
    block('json', ex.canonicalPayload),
    'Payload, base64url:',
    block('text', ex.payloadB64),
    'Protected header and its base64url:',
    block('json', ex.protectedHeader),
    block('text', ex.protectedB64),
    'Ed25519 signature over ASCII(protected + "." + payload), base64url:',
    block('text', ex.signature),
    'Flattened JWS: the exact HTTP body (`application/jose+json`), no trailing newline:',
    block('json', ex.jws),
    `Its digest, as a receipt names it: \`${ex.digest}\`.`,
    'The same envelope as a compact JWS, as it would travel in `Tongban-Signature`:',
    block('text', ex.compact),
  ].join('\n\n');
}

if (require.main === module) {
  process.stdout.write(renderExample() + '\n');
}
