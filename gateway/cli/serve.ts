import type { Command } from 'commander';
import { SERVE_DATA_DIR } from '../config/cli-locations';
import { parseDuration, parsePeerUrls } from '../delivery/duration';
import { startGateway } from '../runtime/start';
import { onShutdown } from './shutdown';
import { progress } from './output';

const collect = (v: string, prev: string[]) => [...prev, v];

interface ServeFlags {
  city?: string;
  port?: string;
  host?: string;
  dataDir?: string;
  databaseUrl?: string;
  schema?: string;
  keysDir?: string;
  configDir?: string;
  publicUrl?: string;
  peerUrl: string[];
  peerUrls?: string;
  deliveryWorkers?: string;
  deliveryTimeout?: string;
  deliveryBatch?: string;
  deliveryPoll?: string;
  retryBase?: string;
  retryMax?: string;
  retryBudget?: string;
  shutdownGrace: string;
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description("run one city's gateway")
    .option('--city <id>', '6-digit city code, city-configs/<id>.yaml (env TONGBAN_CITY)')
    .option('--port <n>', 'port to listen on; default 8080 (env TONGBAN_PORT)')
    .option('--host <addr>', 'address to bind (env TONGBAN_HOST)')
    .option(
      '--data-dir <dir>',
      'folder of the embedded database (db/<city>) and keys (keys/); default .data/gateway (env TONGBAN_DATA_DIR)',
    )
    .option(
      '--database-url <url>',
      'PostgreSQL URL: use PostgreSQL instead of the embedded store (env DATABASE_URL)',
    )
    .option('--schema <name>', 'PostgreSQL schema for this city (default city_<id>)')
    .option('--keys-dir <dir>', 'keys folder (default <data-dir>/keys)')
    .option('--config-dir <dir>', 'city configs folder (default city-configs/)')
    .option('--public-url <url>', 'URL peers use to reach this gateway')
    .option(
      '--peer-url <city=url>',
      "exchange URL of a peer instead of its config's gateway.url (repeatable)",
      collect,
      [],
    )
    .option(
      '--peer-urls <list>',
      'peer URL overrides as city=url,city=url or a JSON object (env TONGBAN_PEER_URLS)',
    )
    .option('--delivery-workers <n>', 'concurrent outbox sends (default 16)')
    .option(
      '--delivery-batch <n>',
      'most messages to one peer per request, 1: no batching (default 32)',
    )
    .option('--delivery-timeout <duration>', 'deadline of one send, e.g. 10s (default 10s)')
    .option('--delivery-poll <duration>', 'outbox poll interval when idle (default 250ms)')
    .option(
      '--retry-base <duration>',
      'first retry delay ceiling, doubled per attempt (default 500ms)',
    )
    .option('--retry-max <duration>', 'largest retry delay (default 5m)')
    .option(
      '--retry-budget <duration>',
      'how long a message is retried before it is dead-lettered (default 72h)',
    )
    .option(
      '--shutdown-grace <duration>',
      'on SIGTERM, exit after this even if work is still running',
      '30s',
    )
    .action(async (o: ServeFlags) => {
      const ms = (v: string | undefined, what: string) =>
        v === undefined ? undefined : parseDuration(v, what);
      const g = await startGateway({
        cityId: o.city,
        port: o.port === undefined ? undefined : Number(o.port),
        host: o.host,
        dataDir: o.dataDir,
        // Used when neither a flag nor the environment (TONGBAN_PORT, TONGBAN_DATA_DIR) says.
        defaults: { port: 8080, dataDir: SERVE_DATA_DIR },
        databaseUrl: o.databaseUrl,
        databaseSchema: o.schema,
        keysDir: o.keysDir,
        configDir: o.configDir,
        publicUrl: o.publicUrl,
        peerUrls: o.peerUrls,
        urlOverrides: parsePeerUrls(o.peerUrl),
        delivery: {
          workers: o.deliveryWorkers === undefined ? undefined : Number(o.deliveryWorkers),
          batchMax: o.deliveryBatch === undefined ? undefined : Number(o.deliveryBatch),
          timeoutMs: ms(o.deliveryTimeout, '--delivery-timeout'),
          pollMs: ms(o.deliveryPoll, '--delivery-poll'),
          baseDelayMs: ms(o.retryBase, '--retry-base'),
          maxDelayMs: ms(o.retryMax, '--retry-max'),
          budgetMs: ms(o.retryBudget, '--retry-budget'),
        },
      });
      progress(
        `tongban ${g.gw.self.id} ${g.gw.self.name.en} listening on ${g.url} (${g.gw.store.driver})`,
      );
      onShutdown(() => g.close(), { graceMs: parseDuration(o.shutdownGrace, '--shutdown-grace') });
    });
}
