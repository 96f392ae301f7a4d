import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SignJWT, exportJWK, generateKeyPair, importJWK, type JWK, type KeyLike } from 'jose';
import type { Role } from './roles';

/**
 * The sandbox's development token issuer: an Ed25519 key in the keys folder. Production cities
 * configure their own issuer (`auth.issuer`, `auth.jwksUri`) instead.
 */
export const DEV_ISSUER = 'urn:tongban:dev-issuer';
export const LIAISON_AUDIENCE = 'tongban-liaison';
const FILE = 'dev-issuer.private.jwk.json';

export interface DevIssuer {
  privateKey: KeyLike;
  publicJwk: JWK;
}

export async function loadOrCreateDevIssuer(keysDir: string): Promise<DevIssuer> {
  const path = join(keysDir, FILE);
  if (!existsSync(path)) {
    mkdirSync(keysDir, { recursive: true });
    const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
    const jwk = await exportJWK(privateKey);
    writeFileSync(path, JSON.stringify({ ...jwk, kid: 'dev-issuer', alg: 'EdDSA' }), {
      mode: 0o600,
    });
  }
  return readDevIssuer(keysDir) as Promise<DevIssuer>;
}

export async function readDevIssuer(keysDir: string): Promise<DevIssuer | undefined> {
  const path = join(keysDir, FILE);
  if (!existsSync(path)) return undefined;
  const jwk = JSON.parse(readFileSync(path, 'utf8')) as JWK;
  const privateKey = (await importJWK(jwk, 'EdDSA')) as KeyLike;
  const { d: _d, ...publicJwk } = jwk;
  return { privateKey, publicJwk };
}

export async function issueDevToken(
  issuer: DevIssuer,
  claims: { city: string; role: Role; sub?: string; name?: string },
  ttlSeconds = 8 * 3600,
): Promise<string> {
  return new SignJWT({
    city: claims.city,
    role: claims.role,
    name: claims.name ?? `${claims.role}@${claims.city}`,
  })
    .setProtectedHeader({ alg: 'EdDSA', kid: 'dev-issuer', typ: 'JWT' })
    .setIssuer(DEV_ISSUER)
    .setAudience(LIAISON_AUDIENCE)
    .setSubject(claims.sub ?? `${claims.role}-${claims.city}`)
    .setIssuedAt()
    .setExpirationTime(`${ttlSeconds}s`)
    .sign(issuer.privateKey);
}
