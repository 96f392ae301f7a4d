import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { ensureCityKey } from '../../../gateway/runtime/keys';
import { startGateway, type RunningGateway } from '../../../gateway/runtime/start';
import type { Store } from '../../../gateway/store';
import { dropSchema, freshPgStore, randomSchema } from '../../support/db';

/**
 * Peer URLs from the settings (--peer-urls or TONGBAN_PEER_URLS, checked with the other
 * settings) replace the configs' gateway.url; a --peer-url given on its own (urlOverrides) wins.
 */
describe('peer URLs from the settings', () => {
  let keysDir: string;
  let schema: string;
  let g: RunningGateway | undefined;
  let store: Store | undefined;
  beforeAll(() => {
    keysDir = mkdtempSync(join(tmpdir(), 'tongban-peers-'));
    ensureCityKey(keysDir, '230100');
  });
  afterEach(async () => {
    await g?.close();
    await store?.close(); // a store handed in is the caller's to close
    g = undefined;
    await dropSchema(schema).catch(() => undefined);
  });
  afterAll(() => rmSync(keysDir, { recursive: true, force: true }));

  it('routes to the peers they name, the single overrides winning', async () => {
    schema = randomSchema('peers');
    store = await freshPgStore(schema);
    g = await startGateway({
      cityId: '230100',
      port: 0,
      keysDir,
      store,
      logger: pino({ level: 'silent' }),
      workers: false,
      peerUrls: '330100=http://127.0.0.1:1/, 530100=http://127.0.0.1:2',
      urlOverrides: { '530100': 'http://127.0.0.1:3' },
    });
    expect(g.gw.cities.gatewayUrl('330100')).toBe('http://127.0.0.1:1');
    expect(g.gw.cities.gatewayUrl('530100')).toBe('http://127.0.0.1:3');
    // A city neither names keeps its config's URL.
    expect(g.gw.cities.gatewayUrl('120000')).toMatch(/^https?:\/\//);
    expect(g.gw.cities.gatewayUrl('120000')).not.toMatch(/127\.0\.0\.1:[123]$/);
  });
});
