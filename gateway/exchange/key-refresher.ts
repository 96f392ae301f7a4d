import type { KeyObject } from 'node:crypto';
import type { Gateway } from '../runtime/context';
import type { PublicJwk } from '../config/city-config';
import { callPeer } from './peer-client';

const MIN_REFETCH_MS = 30_000;

/**
 * Key sets of peers that publish a `gateway.jwksUri`: fetched at start and on an unknown kid
 * (at most every 30 s per city), stored in `peer_cache`, and the last good copy kept when the
 * peer is unreachable. Pinned keys always win (Keyring.resolve).
 */
export class KeyRefresher {
  private readonly lastTry = new Map<string, number>();

  constructor(private readonly gw: Gateway) {}

  private uri(city: string): string | undefined {
    return this.gw.cities.get(city)?.gateway?.jwksUri;
  }

  /** Load the last good copies from the database (start-up, before any fetch). */
  async loadCached(): Promise<void> {
    const r = await this.gw.store.query<{ city: string; body: { keys: PublicJwk[] } }>(
      `SELECT city, body FROM peer_cache WHERE kind = 'jwks'`,
    );
    for (const row of r.rows) this.gw.keyring.setFetched(row.city, row.body);
  }

  /** Fetch one city's key set; on failure keep what we had. Returns whether it changed. */
  async refresh(city: string): Promise<boolean> {
    const uri = this.uri(city);
    if (!uri) return false;
    this.lastTry.set(city, Date.now());
    try {
      const res = await callPeer(uri, { method: 'GET', timeoutMs: 3000, maxBytes: 64 * 1024 });
      if (res.status !== 200) throw new Error(`HTTP ${res.status}`);
      const body = JSON.parse(Buffer.from(res.body).toString('utf8')) as { keys?: PublicJwk[] };
      if (!Array.isArray(body.keys)) throw new Error('not a JWK set');
      this.gw.keyring.setFetched(city, { keys: body.keys });
      await this.gw.store.query(
        `INSERT INTO peer_cache (city, kind, body, fetched_at) VALUES ($1, 'jwks', $2, now())
         ON CONFLICT (city, kind) DO UPDATE SET body = EXCLUDED.body, fetched_at = now()`,
        [city, JSON.stringify({ keys: body.keys })],
      );
      return true;
    } catch (e) {
      this.gw.log.warn(
        { city, err: (e as Error).message },
        'key set fetch failed; keeping the last good copy',
      );
      return false;
    }
  }

  async refreshAll(): Promise<void> {
    await Promise.all(this.gw.cities.all().map((c) => this.refresh(c.id)));
  }

  /** Resolver for the verify pipeline: known keys first, then one rate-limited refetch. */
  async resolve(city: string, kid: string): Promise<KeyObject | undefined> {
    const known = this.gw.keyring.resolve(city, kid);
    if (known || !this.uri(city)) return known;
    if (Date.now() - (this.lastTry.get(city) ?? 0) < MIN_REFETCH_MS) return undefined;
    await this.refresh(city);
    return this.gw.keyring.resolve(city, kid);
  }
}
