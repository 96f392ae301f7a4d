import { TongbanError } from '../../errors';
import { ed25519 } from '../ed25519';
import { base64urlDecode } from '../encoding';
import { jwkThumbprint } from './thumbprint';

/** The validated members of an Ed25519 JWK. */
export interface OkpMembers {
  x: string;
  d?: string;
  kid: string;
}

/**
 * Validate an Ed25519 JWK (RFC 8037 §2) before any key is built from it. Anything that is not
 * `kty: OKP`, `crv: Ed25519` with 32-byte `x` (and `d` for a private key) is refused, as are
 * an `x` that is no usable public key (small order: ../ed25519.ts), `alg`/`use` other than
 * EdDSA/sig and a `kid` that is not the RFC 7638 thumbprint.
 */
export function readOkpJwk(jwk: unknown, kind: 'private' | 'public'): OkpMembers {
  if (typeof jwk !== 'object' || jwk === null || Array.isArray(jwk)) {
    throw invalid('', `A ${kind} JWK must be a JSON object`);
  }
  const m = jwk as Record<string, unknown>;
  if (m.kty !== 'OKP') {
    throw invalid(
      '/kty',
      `Unsupported key type ${show(m.kty)}: Tongban keys are kty "OKP" (RFC 8037 §2)`,
    );
  }
  if (m.crv !== 'Ed25519') {
    throw invalid(
      '/crv',
      `Unsupported curve ${show(m.crv)}: Tongban keys are crv "Ed25519" (RFC 8037 §2)`,
    );
  }
  const x = octets32(m.x, '/x');
  if (!ed25519.usablePublicKey(base64urlDecode(x)!)) {
    throw invalid(
      '/x',
      'x is not a usable Ed25519 public key (a small-order or non-canonical point: any signature would verify)',
    );
  }
  const d = kind === 'private' ? octets32(m.d, '/d') : undefined;
  if (kind === 'public' && m.d !== undefined) {
    throw invalid('/d', 'A public JWK must not contain the private member "d"');
  }
  if (m.alg !== undefined && m.alg !== 'EdDSA')
    throw invalid('/alg', `alg must be "EdDSA", got ${show(m.alg)}`);
  if (m.use !== undefined && m.use !== 'sig')
    throw invalid('/use', `use must be "sig", got ${show(m.use)}`);
  const kid = jwkThumbprint({ crv: 'Ed25519', kty: 'OKP', x });
  if (m.kid !== undefined && m.kid !== kid) {
    throw invalid('/kid', `kid ${show(m.kid)} is not the key's RFC 7638 thumbprint ${kid}`);
  }
  return d === undefined ? { x, kid } : { x, d, kid };
}

function octets32(value: unknown, pointer: string): string {
  const bytes = typeof value === 'string' ? base64urlDecode(value) : undefined;
  if (bytes?.byteLength !== 32 || typeof value !== 'string') {
    throw invalid(pointer, `${pointer.slice(1)} must be 32 bytes, base64url without padding`);
  }
  return value;
}

function show(value: unknown): string {
  return value === undefined ? 'undefined' : JSON.stringify(value);
}

function invalid(pointer: string, message: string): TongbanError {
  return new TongbanError('config_invalid', message, { pointer });
}
