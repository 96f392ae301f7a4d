/**
 * Ledger benchmark: bulk-load N entries through the real append code, then measure proof
 * latency, checkpoint publishing, a full verifyLedger and peak RSS.
 *
 *   npx tsx bench/ledger.ts [--entries N] [--pg postgres://...] [--batch N]
 *
 * Without --pg it runs on in-memory PGlite. On PostgreSQL it works in a fresh random schema
 * and drops it afterwards. Results are printed and written to bench/results/ledger-<ts>.json.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import {
  appendEntries,
  appendEntry,
  consistencyProof,
  inclusionProof,
  publishCheckpoint,
  rootAt,
  treeHead,
  verifyConsistency,
  verifyInclusion,
  verifyLedger,
  vkeyOf,
} from '../gateway/ledger';
import { openStore, type Store } from '../gateway/store';
import { BareFloor, entryData, ENTRY_BYTES, floored, type Floored, vsFloor } from './ledger-floor';

export interface LedgerBenchOptions {
  entries?: number;
  /** PostgreSQL URL; in-memory PGlite when absent. */
  databaseUrl?: string;
  /** Entries per load transaction. */
  batchSize?: number;
  /** Random proofs timed per kind. */
  samples?: number;
  log?: (line: string) => void;
  /** Write bench/results/ledger-<timestamp>.json (default true). */
  writeResults?: boolean;
}

export interface Latency {
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
  samples: number;
}

export interface LedgerBenchResult {
  driver: 'pg' | 'pglite';
  entries: number;
  entryBytes: number;
  /**
   * floorEntriesPerSecond: the same-run floor (bench/README.md): the same entries through a bare
   * table, interleaved with the ledger's own work; ratio = entriesPerSecond ÷ that floor.
   */
  load: Floored & { seconds: number; batchSize: number };
  singleAppend: Latency & Floored;
  inclusionProof: Latency;
  consistencyProof: Latency;
  publishCheckpoint: Latency;
  /** cpuSeconds: this process's CPU time (user + system) for the verify, whatever the load. */
  verify: Floored & { seconds: number; cpuSeconds: number; ok: boolean };
  /** Peak resident set size per phase and overall (sampled every 100 ms). */
  rss: { loadPeakMb: number; proofsPeakMb: number; verifyPeakMb: number; peakMb: number };
  node: string;
  at: string;
}

const sortedQuantile = (xs: number[], q: number): number =>
  xs[Math.min(xs.length - 1, Math.floor(q * xs.length))] ?? 0;
function latency(xs: number[]): Latency {
  const s = [...xs].sort((a, b) => a - b);
  const r3 = (x: number) => Math.round(x * 1000) / 1000;
  return {
    p50Ms: r3(sortedQuantile(s, 0.5)),
    p95Ms: r3(sortedQuantile(s, 0.95)),
    maxMs: r3(s.at(-1) ?? 0),
    samples: s.length,
  };
}

async function timed(n: number, fn: (i: number) => Promise<void>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn(i);
    out.push(performance.now() - t);
  }
  return out;
}

const randInt = (below: number): number => Math.floor(Math.random() * below);

export async function runLedgerBench(opts: LedgerBenchOptions = {}): Promise<LedgerBenchResult> {
  const total = opts.entries ?? 1_000_000;
  const batchSize = opts.batchSize ?? 1000;
  const samples = opts.samples ?? 1000;
  const log = opts.log ?? ((l: string) => process.stderr.write(`${l}\n`));
  const schema = opts.databaseUrl ? `bench_${randomBytes(5).toString('hex')}` : undefined;
  const peaks = { load: 0, proofs: 0, verify: 0 };
  let phase: keyof typeof peaks = 'load';
  const sample = () => (peaks[phase] = Math.max(peaks[phase], process.memoryUsage().rss));
  const sampler = setInterval(sample, 100);
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const signer = { origin: 'bench.tongban.example/ledger', privateKey };
  const store: Store = await openStore({ databaseUrl: opts.databaseUrl, schema });
  try {
    log(
      `ledger bench: ${total} entries of ${ENTRY_BYTES} B on ${store.driver}${schema ? ` (schema ${schema})` : ''}`,
    );
    const publishTimes: number[] = [];
    const checkpointEvery = Math.max(batchSize, Math.ceil(total / 10 / batchSize) * batchSize);

    const floor = await BareFloor.create(store, batchSize);

    // Load: the real append path, many entries per transaction. After every tenth batch one
    // batch goes through the bare table, so the floor sees the same machine throughout.
    let loadMs = 0;
    for (let done = 0, batches = 0; done < total;) {
      const n = Math.min(batchSize, total - done);
      const tb = performance.now();
      await store.tx((q) =>
        appendEntries(
          q,
          Array.from({ length: n }, (_, i) => ({ data: entryData(done + i), kind: 'bench' })),
        ),
      );
      loadMs += performance.now() - tb;
      done += n;
      if (++batches % 10 === 0 || done === total) await floor.load(n);
      if (done % checkpointEvery === 0 || done === total) {
        const t = performance.now();
        await publishCheckpoint(store, signer);
        publishTimes.push(performance.now() - t);
        loadMs += performance.now() - t;
        const s = loadMs / 1000;
        log(
          `  ${done} entries, ${Math.round(done / s)} entries/s, rss ${Math.round(process.memoryUsage().rss / 2 ** 20)} MB`,
        );
      }
    }
    const loadSeconds = loadMs / 1000;

    // One transaction per append, as the exchange does; each followed by one bare insert.
    const single: number[] = [];
    for (let i = 0; i < 200; i++) {
      const t = performance.now();
      await store.tx((q) =>
        appendEntry(q, entryData(total + i), { kind: 'bench', messageId: `single-${i}` }),
      );
      single.push(performance.now() - t);
      await floor.single();
    }
    const size = (await treeHead(store)).size;
    const root = await rootAt(store, size);

    sample();
    phase = 'proofs';
    log(`  timing ${samples} inclusion and consistency proofs at size ${size}`);
    const leafOf = async (i: number) =>
      (
        await store.query<{ leaf_hash: Uint8Array }>(
          'SELECT leaf_hash FROM ledger_entries WHERE idx = $1',
          [i],
        )
      ).rows[0]!.leaf_hash;
    const incl = await timed(samples, async () => {
      const i = randInt(size);
      const p = await inclusionProof(store, i, size);
      if (samples <= 50 || i % 97 === 0) {
        if (!verifyInclusion({ index: i, size, leafHash: await leafOf(i), proof: p.hashes, root }))
          throw new Error(`bad inclusion proof ${i}`);
      }
    });
    const cons = await timed(samples, async () => {
      const from = 1 + randInt(size - 1);
      const p = await consistencyProof(store, from, size);
      if (
        from % 97 === 0 &&
        !verifyConsistency({
          size1: from,
          size2: size,
          root1: await rootAt(store, from),
          root2: root,
          proof: p.hashes,
        })
      ) {
        throw new Error(`bad consistency proof ${from}`);
      }
    });

    sample();
    phase = 'verify';
    log('  verifying the whole ledger');
    await floor.readAndHash(); // the floor's read, before and after the verify
    const tv = performance.now();
    const cpu0 = process.cpuUsage();
    const report = await verifyLedger(store, { vkey: vkeyOf(signer.origin, publicKey) });
    const verifySeconds = (performance.now() - tv) / 1000;
    const cpu = process.cpuUsage(cpu0);
    await floor.readAndHash();
    sample();
    if (!report.ok)
      log(`  verify reported problems: ${JSON.stringify(report.problems.slice(0, 3))}`);

    const singleLat = latency(single);
    const result: LedgerBenchResult = {
      driver: store.driver,
      entries: size,
      entryBytes: ENTRY_BYTES,
      load: {
        seconds: round(loadSeconds),
        ...floored(total / loadSeconds, floor.loadRate()),
        batchSize,
      },
      singleAppend: {
        ...singleLat,
        ...floored(1000 / mean(single), floor.singleRate()),
      },
      inclusionProof: latency(incl),
      consistencyProof: latency(cons),
      publishCheckpoint: latency(publishTimes),
      verify: {
        seconds: round(verifySeconds),
        cpuSeconds: round((cpu.user + cpu.system) / 1e6),
        ok: report.ok,
        ...floored(size / verifySeconds, floor.readRate()),
      },
      rss: {
        loadPeakMb: mb(peaks.load),
        proofsPeakMb: mb(peaks.proofs),
        verifyPeakMb: mb(peaks.verify),
        peakMb: mb(Math.max(peaks.load, peaks.proofs, peaks.verify)),
      },
      node: process.version,
      at: new Date().toISOString(),
    };
    if (opts.writeResults !== false) {
      const dir = join(__dirname, 'results');
      mkdirSync(dir, { recursive: true });
      const file = join(dir, `ledger-${result.at.replace(/[:.]/g, '-')}.json`);
      writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
      log(`  wrote ${file}`);
    }
    return result;
  } finally {
    clearInterval(sampler);
    await store.close();
    if (opts.databaseUrl && schema) await dropSchema(opts.databaseUrl, schema);
  }
}

const round = (x: number): number => Math.round(x * 100) / 100;
const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
const mb = (bytes: number): number => Math.round(bytes / 2 ** 20);

async function dropSchema(url: string, schema: string): Promise<void> {
  const c = new pg.Client(url);
  await c.connect();
  try {
    await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await c.end();
  }
}

export function formatLedgerBench(r: LedgerBenchResult): string {
  const rows: [string, string][] = [
    ['driver', r.driver],
    ['entries', `${r.entries} × ${r.entryBytes} B`],
    [
      'load (batched appends)',
      `${r.load.entriesPerSecond} entries/s (${r.load.seconds} s, ${r.load.batchSize}/tx), ${vsFloor(r.load)}`,
    ],
    [
      'single append (1/tx)',
      `${r.singleAppend.entriesPerSecond} entries/s, p50 ${r.singleAppend.p50Ms} ms, p95 ${r.singleAppend.p95Ms} ms, ${vsFloor(r.singleAppend)}`,
    ],
    [
      'inclusion proof',
      `p50 ${r.inclusionProof.p50Ms} ms, p95 ${r.inclusionProof.p95Ms} ms (${r.inclusionProof.samples} random)`,
    ],
    [
      'consistency proof',
      `p50 ${r.consistencyProof.p50Ms} ms, p95 ${r.consistencyProof.p95Ms} ms (${r.consistencyProof.samples} random)`,
    ],
    [
      'publish checkpoint',
      `p50 ${r.publishCheckpoint.p50Ms} ms, max ${r.publishCheckpoint.maxMs} ms`,
    ],
    [
      'verifyLedger (full)',
      `${r.verify.seconds} s, ${r.verify.cpuSeconds} s CPU (${r.verify.entriesPerSecond} entries/s, ok=${r.verify.ok}), ${vsFloor(r.verify)}`,
    ],
    [
      'peak RSS',
      `${r.rss.peakMb} MB (load ${r.rss.loadPeakMb}, proofs ${r.rss.proofsPeakMb}, verify ${r.rss.verifyPeakMb})`,
    ],
  ];
  const w = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `${k.padEnd(w)}  ${v}`).join('\n');
}

function argValue(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const entries = argValue(args, '--entries');
  const batch = argValue(args, '--batch');
  runLedgerBench({
    entries: entries ? Number(entries) : undefined,
    batchSize: batch ? Number(batch) : undefined,
    databaseUrl: argValue(args, '--pg'),
  })
    .then((r) => process.stdout.write(`${formatLedgerBench(r)}\n`))
    .catch((e: unknown) => {
      process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exitCode = 1;
    });
}
