import type { RequestHandler } from 'express';
import {
  createRemoteJWKSet,
  importJWK,
  jwtVerify,
  type JWK,
  type JWTVerifyGetKey,
  type KeyLike,
} from 'jose';
import { TongbanError } from '../errors';
import { DEV_ISSUER, LIAISON_AUDIENCE } from './dev-issuer';
import { ROLES, can, type Permission, type Principal, type Role } from './roles';

declare module 'express-serve-static-core' {
  interface Request {
    principal?: Principal;
  }
}

export interface TokenVerifierOptions {
  city: string;
  issuer?: string;
  audience?: string;
  jwksUri?: string;
  devIssuerJwk?: JWK;
}

export type TokenVerifier = (token: string) => Promise<Principal>;

/** Officer bearer tokens: JWTs from the city's issuer (EdDSA/ES256/RS256 only), for this city. */
export async function createTokenVerifier(opts: TokenVerifierOptions): Promise<TokenVerifier> {
  let key: KeyLike | Uint8Array | JWTVerifyGetKey;
  let issuer: string;
  if (opts.jwksUri) {
    key = createRemoteJWKSet(new URL(opts.jwksUri));
    issuer = opts.issuer ?? opts.jwksUri;
  } else if (opts.devIssuerJwk) {
    key = await importJWK(opts.devIssuerJwk, 'EdDSA');
    issuer = DEV_ISSUER;
  } else {
    return async () => {
      throw new TongbanError(
        'unauthenticated',
        'This gateway has no token issuer configured (auth.jwksUri)',
      );
    };
  }
  const audience = opts.audience ?? LIAISON_AUDIENCE;
  return async (token) => {
    let payload;
    try {
      ({ payload } = await jwtVerify(token, key as KeyLike, {
        issuer,
        audience,
        algorithms: ['EdDSA', 'ES256', 'RS256'],
      }));
    } catch (e) {
      throw new TongbanError(
        'unauthenticated',
        `Bearer token rejected: ${(e as Error).message}`,
        {},
        { cause: e },
      );
    }
    const role = payload.role as Role;
    if (
      typeof payload.sub !== 'string' ||
      typeof payload.city !== 'string' ||
      !ROLES.includes(role)
    ) {
      throw new TongbanError('unauthenticated', 'Bearer token lacks sub, city or a known role');
    }
    if (payload.city !== opts.city) {
      throw new TongbanError(
        'forbidden',
        `This token is for city ${payload.city}, not ${opts.city}`,
      );
    }
    return {
      sub: payload.sub,
      city: payload.city,
      role,
      name: typeof payload.name === 'string' ? payload.name : undefined,
    };
  };
}

export function authenticate(verify: TokenVerifier): RequestHandler {
  return (req, _res, next) => {
    const h = req.get('authorization');
    const m = h ? /^Bearer ([A-Za-z0-9._~+/=-]+)$/.exec(h) : null;
    if (!m?.[1]) {
      next(new TongbanError('unauthenticated', 'Missing bearer token (Authorization: Bearer …)'));
      return;
    }
    verify(m[1]).then(
      (p) => {
        req.principal = p;
        next();
      },
      (e: unknown) => next(e),
    );
  };
}

export function requirePermission(permission: Permission): RequestHandler {
  return (req, _res, next) => {
    const p = req.principal;
    if (!p) return next(new TongbanError('unauthenticated', 'Not authenticated'));
    if (!can(p.role, permission)) {
      return next(
        new TongbanError('forbidden', `Role ${p.role} may not ${permission.replace(':', ' ')}`),
      );
    }
    next();
  };
}
