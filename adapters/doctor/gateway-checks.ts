import { createPublicKey, type KeyObject } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CityConfig, PublicJwk } from '../../gateway/config/city-config';
import { callPeer } from '../../gateway/exchange/peer-client';
import { contracts } from '../../gateway/http/contracts';
import { verifyEnvelope, type ContractRef, type Envelope } from '../../gateway/signing';
import { clockRow, type DoctorRow } from './types';

export interface GatewayDoctorInput {
  city: Readonly<CityConfig>;
  file: string;
  url: string;
  keysDir?: string;
  timeoutMs: number;
  now: () => Date;
}

/** The keys pinned for a city: its config's keys.pinned/next and the keys folder's public set. */
export function pinnedKeys(city: Readonly<CityConfig>, keysDir?: string): Map<string, KeyObject> {
  const jwks: PublicJwk[] = [...(city.keys?.pinned ?? []), ...(city.keys?.next ?? [])];
  const file = keysDir ? join(keysDir, `${city.id}.public.jwks.json`) : undefined;
  if (file && existsSync(file))
    jwks.push(...(JSON.parse(readFileSync(file, 'utf8')) as { keys: PublicJwk[] }).keys);
  const m = new Map<string, KeyObject>();
  for (const j of jwks)
    m.set(j.kid, createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: j.x }, format: 'jwk' }));
  return m;
}

/** A city that runs the exchange contract: reachable, same clock, pinned key, same contracts. */
export async function gatewayChecks(o: GatewayDoctorInput): Promise<DoctorRow[]> {
  const rows: DoctorRow[] = [];
  const metaUrl = `${o.url.replace(/\/+$/, '')}/.well-known/tongban`;
  let res;
  try {
    res = await callPeer(metaUrl, { method: 'GET', timeoutMs: o.timeoutMs, maxBytes: 256 * 1024 });
  } catch (e) {
    rows.push({
      check: 'reachable',
      result: 'fail',
      detail: (e as Error).message,
      fix: `check gateway.url in ${o.file} (${o.url}), DNS and firewall; is the gateway running? (npx tongban serve --city ${o.city.id})`,
    });
    return rows;
  }
  if (res.status !== 200) {
    rows.push({
      check: 'reachable',
      result: 'fail',
      detail: `GET ${metaUrl}: HTTP ${res.status}`,
      fix: `${o.url} does not serve the exchange contract's metadata: check gateway.url in ${o.file}`,
    });
    return rows;
  }
  rows.push({ check: 'reachable', result: 'pass', detail: `GET ${metaUrl}: 200` });
  rows.push(
    clockRow(typeof res.headers.date === 'string' ? res.headers.date : undefined, o.now(), o.url),
  );

  let env: Envelope;
  try {
    const jws = JSON.parse(Buffer.from(res.body).toString('utf8')) as { payload: string };
    env = JSON.parse(Buffer.from(jws.payload, 'base64url').toString('utf8')) as Envelope;
  } catch (e) {
    rows.push({
      check: 'keys',
      result: 'fail',
      detail: `metadata is not a signed envelope: ${(e as Error).message}`,
      fix: `${o.url} is not a Tongban exchange endpoint`,
    });
    return rows;
  }
  const keys = pinnedKeys(o.city, o.keysDir);
  if (keys.size === 0) {
    rows.push({
      check: 'keys',
      result: 'fail',
      detail: `no key is pinned for city ${o.city.id}`,
      fix: `pin the city's public key (from ${o.url}/.well-known/jwks.json, confirmed out of band) under keys.pinned in ${o.file}`,
    });
  } else {
    try {
      await verifyEnvelope(res.body, {
        self: o.city.id,
        expectedType: 'metadata',
        contract: env.contract,
        now: o.now(),
        maxSkewSeconds: 365 * 86400, // freshness is the clock check's business
        maxBytes: 256 * 1024,
        resolveKey: (_c, kid) => keys.get(kid),
        knownCity: (c) => c === o.city.id,
      });
      rows.push({
        check: 'keys',
        result: 'pass',
        detail: `metadata signed by a pinned key (${keys.size} pinned)`,
      });
    } catch (e) {
      rows.push({
        check: 'keys',
        result: 'fail',
        detail: `metadata does not verify with the pinned keys: ${(e as Error).message}`,
        fix: `the city signs with a key not pinned here: confirm its new key out of band, then add it to keys.pinned (or keys.next during a rotation) in ${o.file}`,
      });
    }
  }
  const body = env.body as { city?: string; contracts?: ContractRef[] };
  if (body.city !== o.city.id) {
    rows.push({
      check: 'identity',
      result: 'fail',
      detail: `${o.url} answers as city ${String(body.city)}`,
      fix: `gateway.url in ${o.file} points at another city's gateway`,
    });
  }
  const ours = contracts().refs.exchange;
  const theirs = (body.contracts ?? []).find((c) => c.name === ours.name);
  if (theirs && theirs.digest === ours.digest) {
    rows.push({
      check: 'contract digest',
      result: 'pass',
      detail: `${ours.name} ${ours.version} ${ours.digest.slice(0, 19)}… on both sides`,
    });
  } else {
    rows.push({
      check: 'contract digest',
      result: 'fail',
      detail: theirs
        ? `theirs ${theirs.version} ${theirs.digest.slice(0, 19)}…, ours ${ours.version} ${ours.digest.slice(0, 19)}…`
        : `${o.url} does not announce ${ours.name}`,
      fix: 'both sides must run the same contracts/exchange.v1.yaml: upgrade the side that is behind (messages are refused with contract_mismatch until then)',
    });
  }
  return rows;
}
