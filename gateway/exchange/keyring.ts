import type { KeyObject } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CityDirectory } from '../config/city-directory';
import type { PublicJwk } from '../config/city-config';
import { TongbanError } from '../errors';
import { importPublicJwk } from '../signing/keys/import-public';

/**
 * Public signing keys of every city, by (city, kid). Sources, strongest first: keys pinned in
 * the city config (`keys.pinned`, `keys.next` for rotation overlap), keys the sandbox pinned in
 * its keys folder, then the last good copy of a fetched key set (`gateway.jwksUri`).
 */
export class Keyring {
  private readonly pinned = new Map<string, Map<string, KeyObject>>();
  private readonly fetched = new Map<string, Map<string, KeyObject>>();

  constructor(cities: CityDirectory, keysDir?: string) {
    for (const c of cities.all()) {
      const jwks: PublicJwk[] = [...(c.keys?.pinned ?? []), ...(c.keys?.next ?? [])];
      if (keysDir) {
        const file = join(keysDir, `${c.id}.public.jwks.json`);
        if (existsSync(file))
          jwks.push(...(JSON.parse(readFileSync(file, 'utf8')) as { keys: PublicJwk[] }).keys);
      }
      for (const jwk of jwks) {
        const key = this.add(this.pinned, c.id, jwk);
        if (key instanceof TongbanError)
          throw new TongbanError(
            'config_invalid',
            `City ${c.id} pins a key that cannot be used: ${key.message}`,
            {
              extra: { city: c.id, kid: jwk.kid },
            },
          );
      }
    }
  }

  /**
   * Validated like any imported public JWK (importPublicJwk: 32-byte point of the right group,
   * kid the thumbprint); a key that fails is not added and the reason returned.
   */
  private add(
    into: Map<string, Map<string, KeyObject>>,
    city: string,
    jwk: PublicJwk,
  ): TongbanError | undefined {
    if (jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519') return undefined;
    let key: KeyObject;
    try {
      key = importPublicJwk(jwk);
    } catch (e) {
      if (e instanceof TongbanError) return e;
      throw e;
    }
    let m = into.get(city);
    if (!m) into.set(city, (m = new Map()));
    if (!m.has(jwk.kid)) m.set(jwk.kid, key);
    return undefined;
  }

  /** Pinned keys win: a fetched set never replaces or adds to a pinned kid of the same city. */
  resolve(city: string, kid: string): KeyObject | undefined {
    return this.pinned.get(city)?.get(kid) ?? this.fetched.get(city)?.get(kid);
  }

  /** Every public key held for a city (pinned first), e.g. to derive its ledger verifier keys. */
  keysOf(city: string): KeyObject[] {
    return [
      ...(this.pinned.get(city)?.values() ?? []),
      ...(this.fetched.get(city)?.values() ?? []),
    ];
  }

  knows(city: string): boolean {
    return this.pinned.has(city) || this.fetched.has(city);
  }

  /** Replace the fetched copy of a city's key set (the caller keeps the last good one on failure). */
  setFetched(city: string, jwks: { keys: PublicJwk[] }): void {
    const m = new Map<string, KeyObject>();
    this.fetched.set(city, m);
    // A published key that cannot be used is left out; the others still serve.
    for (const jwk of jwks.keys) this.add(this.fetched, city, jwk);
  }
}
