import type { Server } from 'node:http';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { createTokenVerifier } from '../auth/authenticate';
import { readDevIssuer } from '../auth/dev-issuer';
import { deliveryEffects } from '../cases/delivery-effects';
import { checkCredentials } from '../config/check-credentials';
import { CityDirectory } from '../config/city-directory';
import { loadCityConfigs } from '../config/load-city-configs';
import { resolveKeysDir } from '../config/cli-locations';
import { environment, loadSettings, type SettingsInput } from '../config/settings';
import { parsePeerUrls } from '../delivery/duration';
import { DeliveryWorker } from '../delivery/worker';
import { TongbanError } from '../errors';
import { rememberCheckpoint } from '../exchange/ledger-port';
import { KeyRefresher } from '../exchange/key-refresher';
import { Keyring } from '../exchange/keyring';
import { PeerWitness } from '../exchange/witness';
import { metadataRouter } from '../exchange/metadata';
import { exchangeRouter } from '../exchange/routes';
import { buildApp } from '../http/app';
import { contracts } from '../http/contracts';
import { healthRouter } from '../http/health';
import { createLogger } from '../http/logger';
import { ledgerRouter, peerWitnessStatus, startCheckpointer } from '../ledger';
import { liaisonRouter } from '../liaison/routes';
import { openStore, type Store } from '../store';
import { metricsRouter } from '../metrics';
import { uiRouter } from '../ui';
import { coalesce } from './coalesce';
import type { Gateway } from './context';
import { readCityKeys } from './keys';

export interface StartOptions extends SettingsInput {
  /** Exchange URLs to use instead of the configs' (the sandbox's loopback ports). */
  urlOverrides?: Record<string, string>;
  /** An already open store (tests, sandbox); otherwise opened from the settings. */
  store?: Store;
  logger?: Logger;
  /** Injected clock (tests, the dashboard's overdue demo). */
  now?: () => Date;
  /** Start the delivery worker and checkpointer (default true). */
  workers?: boolean;
}

export interface RunningGateway {
  gw: Gateway;
  url: string;
  port: number;
  server: Server;
  delivery: DeliveryWorker;
  /** Graceful stop: stop claiming work, finish in-flight deliveries, close the server and store. */
  close(): Promise<void>;
}

/** Start one city's gateway: config, store (migrated), keys, HTTP, delivery and checkpoints. */
export async function startGateway(opts: StartOptions): Promise<RunningGateway> {
  const settings = loadSettings(opts);
  const log = opts.logger ?? createLogger({ level: settings.logLevel, city: settings.cityId });
  const cities = new CityDirectory(loadCityConfigs(settings.configDir), {
    ...parsePeerUrls(settings.peerUrls ? [settings.peerUrls] : []),
    ...opts.urlOverrides,
  });
  const self = cities.get(settings.cityId);
  if (!self)
    throw new TongbanError(
      'config_invalid',
      `No city config for ${settings.cityId} in ${settings.configDir}`,
    );
  checkCredentials(cities.all(), self.id, settings.configDir, environment());
  // The settings already hold the flags and the environment; `tongban keys` applies the same rule.
  const keysDir = resolveKeysDir({ keysDir: settings.keysDir, dataDir: settings.dataDir }, {});
  const keys = readCityKeys(keysDir, self.id, self.keys?.privateKeyFile);
  const keyring = new Keyring(cities, keysDir);
  const store =
    opts.store ??
    (await openStore({
      databaseUrl: settings.databaseUrl,
      schema: settings.databaseSchema ?? `city_${self.id}`,
      dataDir: settings.dataDir ? join(settings.dataDir, 'db', self.id) : undefined,
      poolMax: settings.databasePoolMax,
      prepare: settings.databasePrepare,
      analyzeEveryMs: settings.databaseAnalyzeMs,
      onAnalyzeError: (e) => log.warn({ err: e }, 'ANALYZE of a table failed'),
    }));
  const devIssuer = await readDevIssuer(keysDir);
  const verifyToken = await createTokenVerifier({
    city: self.id,
    ...self.auth,
    devIssuerJwk: self.auth?.jwksUri ? undefined : devIssuer?.publicJwk,
  });
  const ledgerOrigin = `tongban.example/ledger/${self.id}`;

  // eslint-disable-next-line prefer-const -- assigned after gw, which the worker needs
  let worker: DeliveryWorker | undefined;
  let checkpointer: ReturnType<typeof startCheckpointer> | undefined;
  // Appends nudge the checkpointer; nudges within checkpointNudgeMs share one publish. None
  // runs once closing has begun (the store may already be closed when the window ends).
  let closing: Promise<void> | undefined;
  const checkpointNudge = coalesce(() => {
    if (closing) return;
    void checkpointer?.kick().catch((e: unknown) => log.warn({ err: e }, 'checkpoint failed'));
  }, settings.checkpointNudgeMs);
  const gw: Gateway = {
    settings,
    self,
    cities,
    store,
    key: keys.current,
    keyring,
    contracts: contracts(),
    log,
    verifyToken,
    ledgerOrigin,
    now: opts.now ?? (() => new Date()),
    resolveKey: (city, kid) => refresher.resolve(city, kid),
    witness: (peer, note) => void witness.witness(peer, note),
    kickDelivery: () => worker?.kick(),
    handoff: {
      leaseFor: (peer) => worker?.leaseFor(peer),
      take: (jobs) => worker?.take(jobs),
    },
    kickCheckpoint: checkpointNudge,
  };
  const refresher = new KeyRefresher(gw);
  const witness = new PeerWitness(gw);
  await refresher.loadCached();
  void refresher.refreshAll();
  worker = new DeliveryWorker(gw, deliveryEffects(gw));
  const app = buildApp(gw, {
    raw: [{ path: '/exchange/v1', router: exchangeRouter(gw) }],
    json: [
      {
        path: '/',
        router: healthRouter(gw, {
          witness: async () => {
            const alarms = (await peerWitnessStatus(store)).filter((w) => w.status !== 'ok');
            return {
              ok: alarms.length === 0,
              detail: alarms.length
                ? alarms.map((a) => `${a.peer}: ${a.status}`).join('; ')
                : 'no ledger alarms',
            };
          },
        }),
      },
      {
        path: '/',
        router: metadataRouter(gw, [keys.current, ...(keys.previous ? [keys.previous] : [])]),
      },
      { path: '/ledger/v1', router: ledgerRouter({ store }) },
      { path: '/api/v1', router: liaisonRouter(gw) },
      { path: '/ui', router: uiRouter(gw) },
      { path: '/', router: metricsRouter(gw, worker) },
    ],
  });

  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(settings.port, settings.host, () => resolve(s));
    s.once('error', reject);
  });
  server.keepAliveTimeout = 15_000;
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : settings.port;
  const url = `http://${settings.host}:${port}`;

  if (opts.workers !== false) {
    checkpointer = startCheckpointer({
      store,
      signer: { origin: ledgerOrigin, privateKey: keys.current.privateKey },
      everyEntries: settings.checkpointEveryEntries,
      everyMs: settings.checkpointEveryMs,
      // receipts carry the newest checkpoint at once (exchange/ledger-port.ts)
      onPublish: (r) => rememberCheckpoint(store, r.checkpoint.note),
    });
    worker.start();
  }
  log.info({ url, kid: keys.current.kid, store: store.driver }, 'gateway ready');

  return {
    gw,
    url,
    port,
    server,
    delivery: worker,
    close() {
      closing ??= (async () => {
        checkpointNudge.cancel();
        await worker?.stop();
        await checkpointer?.stop();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        if (!opts.store) await store.close();
      })();
      return closing;
    },
  };
}
