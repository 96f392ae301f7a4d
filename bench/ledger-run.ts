/** Bench child: the ledger engineer's runLedgerBench (bench/ledger.ts), in its own process so its RSS is its own. */
import { runLedgerBench } from './ledger';
import { notifyParent, serveParent } from './proc';

serveParent({
  run: (a: { entries: number; databaseUrl?: string }) =>
    runLedgerBench({
      entries: a.entries,
      databaseUrl: a.databaseUrl,
      writeResults: false,
      log: (line) => notifyParent('log', line),
    }),
});
