/**
 * `npm run bench`: end-to-end delegation throughput and latency of two gateways on loopback,
 * against a floor measured in the same run, plus the ledger bench. See bench/README.md.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, Option } from 'commander';
import type { LedgerBenchResult } from './ledger';
import { vsFloor } from './ledger-floor';
import type { CpuUse } from './host-cpu';
import type { HttpRunResult } from './loadgen';
import { machine, versions } from './machine';
import { BUSY_OTHER_SHARE, machineWasBusy, median, otherCpuShare, round, spreadOf } from './stats';
import { SERVER_NODE_FLAGS } from './node-flags';
import { summaryTable } from './report';
import {
  checkpoint,
  dropSchemas,
  log,
  runFloor,
  runGateways,
  runLedger,
  type GatewayRun,
  type Options,
} from './runs';

const RESULTS_DIR = join(__dirname, 'results');

export async function main(argv: string[]): Promise<void> {
  const program = new Command('bench')
    .description(
      'Tongban end-to-end bench: two gateways on loopback vs. a floor, same run (see bench/README.md)',
    )
    .addOption(
      new Option('--database-url <url>', 'PostgreSQL to use')
        .env('TONGBAN_BENCH_DATABASE_URL')
        .default('postgres://postgres@127.0.0.1:5432/test'),
    )
    .option('-n, --delegations <n>', 'delegations per closed-loop run', Number, 10000)
    .option(
      '--warmup <n>',
      'delegations sent before each measured run (JIT, pools, fresh backends; see bench/README.md)',
      Number,
      5000,
    )
    .option(
      '-c, --concurrency <n>',
      'closed loop: delegations (floor: requests) in flight',
      Number,
      64,
    )
    .option('--batch <n>', 'closed loop: most delegations queued per transaction', Number, 64)
    .option('--floor-requests <n>', 'requests per floor run', Number, 20000)
    .option('--floor-warmup <n>', 'requests sent before each measured floor run', Number, 5000)
    .option(
      '--runs <n>',
      'repeat floor + PostgreSQL closed loop this many times (the summary takes the median)',
      Number,
      3,
    )
    .option('--rate <n>', 'fixed-rate mode: delegations/s offered', Number, 300)
    .option('--rate-seconds <n>', 'fixed-rate mode: seconds of load', Number, 20)
    .option('--rate-warmup <n>', 'fixed-rate mode: first seconds not counted', Number, 3)
    .option('--no-fixed-rate', 'skip the fixed-rate run')
    .addOption(
      new Option(
        '--queue-commit <mode>',
        'each unit of load (fixed rate: one delegation; closed loop: one top-up) group-committed as intake is (group) or in a transaction of its own (tx)',
      )
        .choices(['tx', 'group'])
        .default('group'),
    )
    .option('--no-pglite', 'skip the embedded-store (PGlite) run')
    .option('--pglite-delegations <n>', 'delegations for the PGlite run', Number, 1000)
    .option('--no-ledger', 'skip the ledger bench (bench/ledger.ts)')
    .option('--ledger-entries <n>', 'ledger bench size', Number, 1_000_000)
    .option('--pool-max <n>', 'floor: PostgreSQL pool size (the gateway default is 10)', Number, 10)
    .option(
      '--node-flags <flags>',
      "V8 flags of the gateway and floor processes (the Docker image's NODE_OPTIONS)",
      SERVER_NODE_FLAGS,
    )
    .option(
      '--cpu-prof',
      'write V8 CPU profiles of the gateway processes to bench/results/profiles-<time>/',
    )
    .option(
      '--count-queries',
      'count SQL statements per delegation on both gateways (diagnostic; wraps the store)',
    )
    .option(
      '--quick',
      'small sizes for a smoke run (1,000 delegations, 20,000 ledger entries, 5 s fixed rate)',
    );
  program.parse(argv);
  const o = program.opts<Options>();
  if (o.quick) {
    // Smaller defaults; sizes given explicitly on the command line still win.
    const quick: Partial<Options> = {
      delegations: 1000,
      warmup: 200,
      floorRequests: 5000,
      floorWarmup: 500,
      rateSeconds: 5,
      rateWarmup: 1,
      pgliteDelegations: 200,
      ledgerEntries: 20_000,
    };
    for (const [k, v] of Object.entries(quick))
      if (program.getOptionValueSource(k) === 'default') Object.assign(o, { [k]: v });
  }

  const at = new Date().toISOString();
  const stamp = at.replace(/[:.]/g, '-');
  mkdirSync(RESULTS_DIR, { recursive: true });
  const profDir = o.cpuProf ? join(RESULTS_DIR, `profiles-${stamp}`) : undefined;
  if (profDir) mkdirSync(profDir, { recursive: true });

  const report: Record<string, unknown> = {
    at,
    machine: machine(),
    versions: await versions(o.databaseUrl),
    options: o,
  };
  log(`tongban bench ${at} on ${JSON.stringify(report.machine)}`);
  const warning = (report.versions as { warning?: string }).warning;
  if (warning) log(`  warning: ${warning}`);
  log(
    `  load: queueMessages on the sender (what intake does, without the API), ${o.queueCommit === 'group' ? 'group-committed as intake is' : 'each unit in a transaction of its own'}: closed loop ≤ ${o.batch} per unit, ${o.concurrency} in flight; fixed rate one delegation per unit`,
  );
  const floors: (HttpRunResult & { run: number; serverRssMb: number; host?: CpuUse })[] = [];
  const gws: GatewayRun[] = [];
  try {
    const between = async () => {
      await dropSchemas(o.databaseUrl);
      await checkpoint(o.databaseUrl, log);
    };
    await checkpoint(o.databaseUrl, log);
    for (let run = 1; run <= o.runs; run++) {
      log(`run ${run}/${o.runs}: floor`);
      floors.push(await runFloor(o, run));
      await between();
      log(`run ${run}/${o.runs}: delegations on PostgreSQL, closed loop`);
      gws.push(
        await runGateways(o, { driver: 'pg', mode: 'closed', run, n: o.delegations, profDir }),
      );
      await between();
    }
    if (o.fixedRate) {
      log(`fixed rate: ${o.rate} delegations/s offered for ${o.rateSeconds} s on PostgreSQL`);
      gws.push(await runGateways(o, { driver: 'pg', mode: 'fixed', run: 1, n: 0, profDir }));
      await between();
    }
    if (o.pglite) {
      log('delegations on the embedded store (PGlite, in memory), closed loop');
      gws.push(
        await runGateways(o, {
          driver: 'pglite',
          mode: 'closed',
          run: 1,
          n: o.pgliteDelegations,
          profDir,
        }),
      );
    }
    if (o.ledger && o.ledgerEntries > 0) {
      log(`ledger bench: ${o.ledgerEntries} entries on PostgreSQL`);
      report.ledger = await runLedger(o);
    }
  } finally {
    await dropSchemas(o.databaseUrl).catch((e: unknown) =>
      log(`could not drop bench schemas: ${(e as Error).message}`),
    );
  }

  const closed = gws.filter((g) => g.driver === 'pg' && g.mode === 'closed');
  const ratios = closed.map((g) => {
    const f = floors.find((x) => x.run === g.run);
    return f ? g.perSecond / f.perSecond : 0;
  });
  report.floor = floors;
  report.gateways = gws;
  const perSecond = closed.map((g) => g.perSecond);
  const floorPerSecond = floors.map((f) => f.perSecond);
  const several = closed.length >= 2;
  const others = closed.map((g) => otherCpuShare(g));
  const disturbed = closed.filter((_, k) => (others[k] ?? 0) > BUSY_OTHER_SHARE).map((g) => g.run);
  report.summary = {
    delegationsPerSecond: perSecond.map((x) => round(x)),
    floorRequestsPerSecond: floorPerSecond.map((x) => round(x)),
    ratio: ratios.map((r) => round(r, 3)),
    // The headline: one slow run on a shared host (or the first on a freshly booted one) does
    // not decide it. Each figure's median is taken on its own.
    median: {
      delegationsPerSecond: round(median(perSecond)),
      floorRequestsPerSecond: round(median(floorPerSecond)),
      ratio: round(median(ratios), 3),
    },
    runsAgree: {
      delegationsPerSecondSpread: several ? round(spreadOf(perSecond), 3) : null,
      ratioSpread: several ? round(spreadOf(ratios), 3) : null,
      floorSpread: floors.length >= 2 ? round(spreadOf(floorPerSecond), 3) : null,
      within20Percent: several ? spreadOf(perSecond) <= 0.2 : null,
      // The closed-loop runs' CPU outside the bench, as a share of the machine's busy CPU.
      otherCpuShare: others.map((x) => (x === undefined ? null : round(x, 3))),
      machineQuiet:
        floors.length >= 2 || others.some((x) => x !== undefined)
          ? !machineWasBusy(floorPerSecond) && disturbed.length === 0
          : null,
    },
    fixedRate: gws.find((g) => g.mode === 'fixed')?.latency ?? null,
    profiles: profDir ?? null,
  };
  const file = join(RESULTS_DIR, `bench-${stamp}.json`);
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);

  const out = [
    '',
    summaryTable(floors, gws),
    '',
    `ratio delegations/s ÷ floor requests/s: ${ratios.map((r) => r.toFixed(2)).join(', ')}` +
      (several ? ` (median ${median(ratios).toFixed(2)})` : ''),
    several
      ? `delegations/s: median ${Math.round(median(perSecond))}; spread between runs ${(spreadOf(perSecond) * 100).toFixed(1)} % (max − min) / max`
      : '',
    // The floor does not change between runs: its spread is the machine's own noise.
    floors.length >= 2
      ? `spread of the floor between runs (the machine's noise): ${(spreadOf(floorPerSecond) * 100).toFixed(1)} %`
      : '',
    machineWasBusy(floorPerSecond)
      ? 'WARNING: the floor itself varied by more than 20 % between runs: something else was using ' +
        'the machine during the bench. Compare only medians, or rerun on a quiet machine.'
      : '',
    disturbed.length > 0
      ? `WARNING: in closed-loop run ${disturbed.join(', ')} more than ${BUSY_OTHER_SHARE * 100} % of the ` +
        "machine's CPU went to processes outside the bench. Compare only medians, or rerun on a quiet machine."
      : '',
  ];
  const l = report.ledger as LedgerBenchResult | undefined;
  if (l) {
    out.push(
      `ledger (${l.entries} entries, ${l.driver}): load ${l.load.entriesPerSecond}/s (${vsFloor(l.load)}), ` +
        `single append ${l.singleAppend.entriesPerSecond}/s (${vsFloor(l.singleAppend)}), ` +
        `inclusion proof p50 ${l.inclusionProof.p50Ms} ms, full verify ${l.verify.seconds} s (ok=${l.verify.ok}; ${vsFloor(l.verify)}), peak RSS ${l.rss.peakMb} MB`,
    );
  }
  out.push(`results: ${file}`);
  process.stdout.write(`${out.filter((x) => x !== '').join('\n')}\n`);
}

if (require.main === module) {
  main(process.argv).catch((e: unknown) => {
    log(`bench failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    process.exitCode = 1;
  });
}
