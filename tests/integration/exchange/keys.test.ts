import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import pino from 'pino';
import { CityDirectory } from '../../../gateway/config/city-directory';
import type { CityConfig } from '../../../gateway/config/city-config';
import { KeyRefresher } from '../../../gateway/exchange/key-refresher';
import { Keyring } from '../../../gateway/exchange/keyring';
import { contracts } from '../../../gateway/http/contracts';
import type { Gateway } from '../../../gateway/runtime/context';
import { rotateCityKey } from '../../../gateway/runtime/keys';
import {
  generateCityKey,
  publicJwks,
  readPrivateKeyFile,
  signEnvelope,
  type CityKey,
  type Envelope,
} from '../../../gateway/signing';
import { dropSchema, freshPgStore } from '../../support/db';
import { api } from '../../support/http';
import { startFederation, type TestFederation } from '../../support/federation';

const HARBIN = '230100';
const HANGZHOU = '330100';
const NOW = new Date('2026-11-20T02:00:00Z');

const query = (key: CityKey): Uint8Array => {
  const env: Envelope = {
    id: randomUUID(),
    type: 'penalty.query',
    from: HARBIN,
    to: HANGZHOU,
    contract: contracts().refs.exchange,
    issuedAt: NOW.toISOString(),
    body: { uscc: '91350100M000100Y43' },
  };
  return signEnvelope(env, key).bytes;
};

describe('key rotation: messages signed with the old or the new key are accepted during the overlap', () => {
  let fed: TestFederation;
  beforeAll(async () => {
    fed = await startFederation([HARBIN, HANGZHOU], { now: () => NOW });
  });
  afterAll(() => fed.close());

  it('accepts both keys after rotation and publishes both', async () => {
    const old = readPrivateKeyFile(join(fed.keysDir, `${HARBIN}.private.jwk.json`));
    const keys = rotateCityKey(fed.keysDir, HARBIN);
    expect(keys.previous?.kid).toBe(old.kid);
    expect(keys.current.kid).not.toBe(old.kid);
    await fed.restart(HARBIN);
    await fed.restart(HANGZHOU);
    const post = (bytes: Uint8Array) =>
      api(fed.gw[HANGZHOU]!.url, 'POST', '/exchange/v1/penalty-queries', {
        body: bytes,
        headers: { 'content-type': 'application/jose+json' },
      });
    expect((await post(query(old))).status).toBe(200);
    expect((await post(query(keys.current))).status).toBe(200);
    expect((await post(query(generateCityKey().cityKey))).body.code).toBe('unknown_key');
    const jwks = (await api(fed.gw[HARBIN]!.url, 'GET', '/.well-known/jwks.json')).body as {
      keys: { kid: string; d?: string }[];
    };
    expect(jwks.keys.map((k) => k.kid).sort()).toEqual([old.kid, keys.current.kid].sort());
    expect(jwks.keys.every((k) => k.d === undefined)).toBe(true);
  });
});

describe('fetched key sets (gateway.jwksUri)', () => {
  const pinned = generateCityKey();
  const fetched = generateCityKey();
  let served: object = publicJwks([fetched.cityKey]);
  let up = true;
  let server: Server;
  let uri: string;
  beforeAll(async () => {
    server = createServer((_req, res) => {
      if (!up) res.writeHead(503).end();
      else res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(served));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const a = server.address();
    uri = `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}/.well-known/jwks.json`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  async function gateway() {
    const config: CityConfig = {
      id: '999900',
      name: { zh: '测试市', en: 'Testcity' },
      timezone: 'Asia/Shanghai',
      gateway: { url: 'http://127.0.0.1:1', jwksUri: uri },
      keys: { pinned: [pinned.publicJwk] },
      adapter: { kind: 'gateway' },
      categories: ['administrative_penalty'],
      sla: {},
    };
    const cities = new CityDirectory([{ file: 'test.yaml', config }]);
    const store = await freshPgStore();
    const gw = {
      cities,
      keyring: new Keyring(cities),
      store,
      log: pino({ level: 'silent' }),
    } as unknown as Gateway;
    return { gw, store, refresher: new KeyRefresher(gw) };
  }

  it('uses pinned keys first, fetches an unknown kid once, keeps the last good copy when the peer is down', async () => {
    const { gw, store, refresher } = await gateway();
    try {
      expect(await refresher.resolve('999900', pinned.cityKey.kid)).toBeDefined();
      expect(await refresher.resolve('999900', fetched.cityKey.kid)).toBeDefined();
      // the peer goes dark: a new gateway process starts from the cached copy
      up = false;
      const fresh = new KeyRefresher({ ...gw, keyring: new Keyring(gw.cities) } as Gateway);
      await fresh.loadCached();
      expect(await fresh.refresh('999900')).toBe(false);
      expect(await fresh.resolve('999900', fetched.cityKey.kid)).toBeDefined();
      up = true;
    } finally {
      await store.close();
      await dropSchema(store.schema);
    }
  });

  it('never lets a fetched key replace a pinned kid', async () => {
    const { gw, store } = await gateway();
    try {
      // a fetched set claiming the pinned kid with another key
      const impostor = { ...fetched.publicJwk, kid: pinned.cityKey.kid };
      served = { keys: [impostor] };
      gw.keyring.setFetched('999900', served as { keys: never[] });
      const k = gw.keyring.resolve('999900', pinned.cityKey.kid)!;
      expect(k.export({ format: 'jwk' }).x).toBe(pinned.publicJwk.x);
    } finally {
      await store.close();
      await dropSchema(store.schema);
    }
  });
});
