import type { Command } from 'commander';
import {
  clearPeerAlarm,
  inclusionProof,
  peerWitnessStatus,
  treeHead,
  verifyLedger,
} from '../ledger';
import {
  resolveCityStore,
  SANDBOX_DATA_DIR,
  type CityStoreLocation,
} from '../config/cli-locations';
import { cityVkeys, openCityStore } from './open-city-store';
import { out, progress } from './output';
import { verifyExchange } from './verify-exchange';

/** The flags naming a city's store; each falls back on the variable `tongban serve` reads. */
const storeOptions = (c: Command) =>
  c
    .option('--city <id>', '6-digit city code (default $TONGBAN_CITY)')
    .option(
      '--data-dir <dir>',
      `data dir of the gateway or sandbox (default $TONGBAN_DATA_DIR, else ${SANDBOX_DATA_DIR})`,
    )
    .option('--database-url <url>', 'PostgreSQL URL, instead of the embedded store ($DATABASE_URL)')
    .option('--schema <name>', 'PostgreSQL schema (default $TONGBAN_DB_SCHEMA, else city_<id>)')
    .option('--keys-dir <dir>', 'keys folder (default $TONGBAN_KEYS_DIR, else <data-dir>/keys)');

type StoreFlags = Partial<CityStoreLocation>;

export function registerLedger(program: Command): void {
  const ledger = program
    .command('ledger')
    .description("verify and prove a gateway's signed message ledger");

  storeOptions(ledger.command('verify'))
    .description('recompute the Merkle tree, check every checkpoint, name the first bad entry')
    .action(async (flags: StoreFlags) => {
      const o = resolveCityStore(flags);
      const store = await openCityStore(o);
      try {
        const started = Date.now();
        const report = await verifyLedger(store, {
          vkey: cityVkeys(o),
          onProgress: (n, size) => progress(`  verified ${n}/${size} entries`),
        });
        for (const p of report.problems) progress(`entry ${p.index}: ${p.kind}: ${p.detail}`);
        const secs = ((Date.now() - started) / 1000).toFixed(1);
        if (!report.ok) {
          const first = report.problems[0];
          progress(
            `ledger of ${o.city} FAILED verification${first ? `: first bad index ${first.index} (${first.kind})` : ''}`,
          );
          process.exitCode = 1;
        } else {
          out(
            `ledger of ${o.city} OK: ${report.size} entries, ${report.checkpoints} checkpoint(s) verified in ${secs} s`,
          );
        }
      } finally {
        await store.close();
      }
    });

  storeOptions(ledger.command('prove'))
    .description('print the RFC 9162 inclusion proof of one entry')
    .requiredOption('--index <n>', 'entry index (0-based)')
    .option('--size <n>', 'tree size (default: current size)')
    .action(async (flags: StoreFlags & { index: string; size?: string }) => {
      const o = { ...flags, ...resolveCityStore(flags) };
      const store = await openCityStore(o);
      try {
        const size = o.size ? Number(o.size) : (await treeHead(store)).size;
        const p = await inclusionProof(store, Number(o.index), size);
        out(
          JSON.stringify(
            {
              index: p.index,
              size: p.size,
              hashes: p.hashes.map((h) => Buffer.from(h).toString('base64')),
            },
            null,
            2,
          ),
        );
      } finally {
        await store.close();
      }
    });

  storeOptions(ledger.command('witnesses'))
    .description("show each peer's witness status (last good checkpoint, alarms)")
    .action(async (flags: StoreFlags) => {
      const o = resolveCityStore(flags);
      const store = await openCityStore(o);
      try {
        const rows = await peerWitnessStatus(store);
        if (rows.length === 0) out('no peer checkpoints witnessed yet');
        for (const w of rows)
          out(`${w.peer}  ${w.status}  size ${w.size}  seen ${new Date(w.seenAt).toISOString()}`);
        if (rows.some((w) => w.status !== 'ok')) process.exitCode = 1;
      } finally {
        await store.close();
      }
    });

  storeOptions(ledger.command('clear-alarm'))
    .description(
      "after investigating a peer's fork or shrink alarm, mark it cleared (evidence is kept)",
    )
    .requiredOption('--peer <id>', 'the peer city whose alarm to clear')
    .requiredOption('--reason <text>', 'what the investigation found (stored with the row)')
    .action(async (flags: StoreFlags & { peer: string; reason: string }) => {
      const o = { ...flags, ...resolveCityStore(flags) };
      const store = await openCityStore(o);
      try {
        if (!(await clearPeerAlarm(store, o.peer, o.reason))) {
          progress(`no witnessed checkpoint of city ${o.peer}`);
          process.exitCode = 1;
        } else out(`alarm of ${o.peer} cleared; the evidence note stays in peer_checkpoints`);
      } finally {
        await store.close();
      }
    });

  ledger
    .command('verify-exchange')
    .description("show that a message A sent is in B's ledger and B's receipt is in A's")
    .requiredOption('--from <id>', 'sending city')
    .requiredOption('--to <id>', 'receiving city')
    .requiredOption('--message <id>', 'message id (envelope id)')
    .option('--data-dir <dir>', 'sandbox data dir holding both cities', SANDBOX_DATA_DIR)
    .action(async (o: { from: string; to: string; message: string; dataDir: string }) => {
      const ok = await verifyExchange(o);
      if (!ok) process.exitCode = 1;
    });
}
