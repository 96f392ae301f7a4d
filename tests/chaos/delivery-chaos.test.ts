import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { issueDevToken, loadOrCreateDevIssuer } from '../../gateway/auth/dev-issuer';
import { ensureCityKey } from '../../gateway/runtime/keys';
import { dropSchema, randomSchema, TEST_DATABASE_URL } from '../support/db';
import { freePort } from '../support/federation';
import { api } from '../support/http';
import { TcpProxy } from '../support/tcp-proxy';
import { decisionPlan, HANGZHOU, HARBIN } from './fixtures';
import { GatewayProcess, pool, prng, sleep } from './harness';
import {
  attempts,
  deliveredOnceEach,
  ledgerHoldsEachOnce,
  ledgerVerifies,
  sentEqualsReceived,
  witnessAlarms as alarms,
} from './compare';
import { fileCase, withdraw } from './load';
import { outboxOpen, schedule, waitFor as waitUntil, type Query } from './schedule';

/**
 * Chaos acceptance test of the delivery path (docs/delivery.md). Two cities run as separate
 * `tongban serve` processes on PostgreSQL: Harbin (registration) as TWO replicas on one schema,
 * Hangzhou (penalising) as one. Every byte between them crosses a TCP proxy that drops chunks
 * and cuts every connection now and then. While a burst of delegations is filed, Hangzhou is
 * SIGKILLed and restarted several times (and one Harbin replica once); while Hangzhou's
 * officers decide every delegation, both sides are killed again. Then everything is stopped
 * with SIGTERM and the two databases are compared: every message exactly once on both sides,
 * same bytes, same receipts, statuses converged, both ledgers verify.
 *
 * Default (every `npm test`): 100 delegations, Hangzhou killed twice per phase (~40 s on two
 * cores). Acceptance run: CHAOS_DELEGATIONS=2000 (three kills per phase). CHAOS_SEED repeats a
 * schedule; CHAOS_KILLS (kills of Hangzhou per phase) and CHAOS_DROP_RATE tune it;
 * CHAOS_SUMMARY_FILE writes the figures as JSON; CHAOS_KEEP_LOGS keeps the processes' logs.
 */
const N = Number(process.env.CHAOS_DELEGATIONS ?? 100);
const KILLS = Number(process.env.CHAOS_KILLS ?? (N >= 200 ? 3 : 2));
const DROP_RATE = Number(process.env.CHAOS_DROP_RATE ?? 0.02);
const SEED = Number(process.env.CHAOS_SEED ?? Math.floor(Math.random() * 1e9));
const WARMUP = Math.max(10, Math.round(N / 10));
const PHASE_MS = 120_000 + N * 150; // bound of each phase's wait

const rand = prng(SEED);
const { killLoop, cutter: cutterOf } = schedule(rand);

describe(`chaos: ${N} delegations across SIGKILLs and cut connections (seed ${SEED})`, () => {
  const started = Date.now();
  const schemaA = randomSchema('chaos_a');
  const schemaB = randomSchema('chaos_b');
  const keysDir = mkdtempSync(join(tmpdir(), 'tongban-chaos-keys-'));
  const logsDir = mkdtempSync(join(tmpdir(), 'tongban-chaos-logs-'));
  let keepLogs = false;
  let a1: GatewayProcess;
  let a2: GatewayProcess;
  let b: GatewayProcess;
  let toB: TcpProxy;
  let toA: TcpProxy;
  let dbA: pg.Pool;
  let dbB: pg.Pool;
  let tokenA: string;
  let tokenB: string;
  const figures: Record<string, unknown> = { seed: SEED, delegations: N, warmup: WARMUP };
  let cuts = 0;
  const delegations = new Map<number, string>(); // case number → delegation id

  const qa: Query = async (sql, params = []) => (await dbA.query(sql, params)).rows;
  const qb: Query = async (sql, params = []) => (await dbB.query(sql, params)).rows;
  /** Cut connections through both proxies until stopped (counted in `cuts`). */
  const cutter = () => {
    const stop = cutterOf([toA, toB]);
    return async () => void (cuts += await stop());
  };
  const waitFor = (what: string, check: () => Promise<boolean>, ms = PHASE_MS) =>
    waitUntil(what, check, ms);
  const harbin = () => (a1.up ? a1 : a2);

  /** File case i through `via` (load.ts), remembering its delegation. */
  const file = async (i: number, via: () => GatewayProcess) =>
    void delegations.set(i, await fileCase(qa, () => via().url, tokenA, i));

  beforeAll(async () => {
    for (const c of [HARBIN, HANGZHOU]) ensureCityKey(keysDir, c);
    const issuer = await loadOrCreateDevIssuer(keysDir);
    tokenA = await issueDevToken(issuer, { city: HARBIN, role: 'officer' });
    tokenB = await issueDevToken(issuer, { city: HANGZHOU, role: 'officer' });
    const [pa1, pa2, pb] = [await freePort(), await freePort(), await freePort()];
    // every listener on a port of its own from freePort (a proxy left to pick port 0 could be
    // given one just handed to a gateway, which would then die at start-up)
    toB = await TcpProxy.start({ upstreams: [pb], port: await freePort(), random: rand });
    toA = await TcpProxy.start({ upstreams: [pa1, pa2], port: await freePort(), random: rand });
    const common = [
      '--database-url',
      TEST_DATABASE_URL,
      '--keys-dir',
      keysDir,
      '--delivery-timeout',
      '2s',
      '--delivery-workers',
      '8',
      '--delivery-poll',
      '100ms',
      '--retry-base',
      '100ms',
      '--retry-max',
      '1s',
      '--shutdown-grace',
      '20s',
    ];
    const harbinArgs = [
      '--city',
      HARBIN,
      '--schema',
      schemaA,
      '--peer-url',
      `${HANGZHOU}=${toB.url}`,
      ...common,
    ];
    a1 = new GatewayProcess('harbin-1', pa1, harbinArgs, join(logsDir, 'harbin-1.log'));
    a2 = new GatewayProcess('harbin-2', pa2, harbinArgs, join(logsDir, 'harbin-2.log'));
    b = new GatewayProcess(
      'hangzhou',
      pb,
      ['--city', HANGZHOU, '--schema', schemaB, '--peer-url', `${HARBIN}=${toA.url}`, ...common],
      join(logsDir, 'hangzhou.log'),
    );
    await Promise.all([a1.start(), a2.start(), b.start()]).catch((e: unknown) => {
      keepLogs = true; // the error names a log file: keep it
      throw e;
    });
    dbA = new pg.Pool({
      connectionString: TEST_DATABASE_URL,
      max: 2,
      options: `-c search_path=${schemaA}`,
    });
    dbB = new pg.Pool({
      connectionString: TEST_DATABASE_URL,
      max: 2,
      options: `-c search_path=${schemaB}`,
    });
    figures.startMs = Date.now() - started;
  }, 120_000);

  afterAll(async () => {
    await Promise.allSettled([a1, a2, b].filter(Boolean).map((p) => p.kill()));
    await Promise.allSettled([toA?.close(), toB?.close(), dbA?.end(), dbB?.end()]);
    await dropSchema(schemaA).catch(() => undefined);
    await dropSchema(schemaB).catch(() => undefined);
    rmSync(keysDir, { recursive: true, force: true });
    if (process.env.CHAOS_KEEP_LOGS || keepLogs) process.stdout.write(`chaos logs: ${logsDir}\n`);
    else rmSync(logsDir, { recursive: true, force: true });
  });

  it(
    'two replicas share one outbox: each message is claimed and sent once, by either replica',
    async () => {
      const t0 = Date.now();
      const items = Array.from({ length: WARMUP }, (_, i) => i + 1);
      await pool(items, 8, (i) => file(i, () => (i % 2 ? a1 : a2)));
      await waitFor('warm-up delivered', async () => (await outboxOpen(qa)).open === 0);
      const rows = await qa(`SELECT id, attempts, status FROM outbox`);
      expect(rows).toHaveLength(WARMUP);
      expect(rows.every((r) => r.status === 'delivered' && r.attempts === 1)).toBe(true);
      const byWorker = await qa(
        `SELECT split_part(worker, '/', 2) AS pid, count(*)::int AS n FROM delivery_attempts GROUP BY 1`,
      );
      figures.warmup = {
        delegations: WARMUP,
        sentByReplica: byWorker.map((w) => w.n),
        ms: Date.now() - t0,
      };
      expect(byWorker.length).toBe(2); // both replicas took part
      const got = await qb(
        `SELECT count(*)::int AS n, count(DISTINCT id)::int AS d FROM messages WHERE type = 'delegation.create'`,
      );
      expect(got[0]).toEqual({ n: WARMUP, d: WARMUP });
    },
    PHASE_MS,
  );

  it(
    `burst: ${N} delegations while Hangzhou is SIGKILLed ${KILLS}× and connections are cut`,
    async () => {
      const t0 = Date.now();
      toA.dropRate = DROP_RATE;
      toB.dropRate = DROP_RATE;
      const stopCutter = cutter();
      const items = Array.from({ length: N }, (_, i) => WARMUP + i + 1);
      const filing = pool(items, 8, (i) => file(i, () => a1));
      const kills = Promise.all([
        killLoop([b], KILLS, [500, 1500], [100, 800]),
        killLoop([a2], 1, [1000, 2500], [100, 600]), // a replica dies with deliveries in flight
      ]);
      await filing;
      figures.filingMs = Date.now() - t0;
      await kills;
      await waitFor('burst delivered', async () => {
        const ob = await outboxOpen(qa);
        return ob.open === 0 && ob.total === N + WARMUP;
      });
      await stopCutter();
      const ob = await outboxOpen(qa);
      expect(ob.dead).toBe(0);
      const inbox = await qb(`SELECT count(*)::int AS n FROM inbox_items`);
      expect(inbox[0]!.n).toBe(N + WARMUP);
      figures.burstMs = Date.now() - t0;
    },
    PHASE_MS * 2,
  );

  it(
    'decisions and callbacks converge while both sides are killed again',
    async () => {
      const t0 = Date.now();
      const stopCutter = cutter();
      const ids = [...delegations.entries()].sort((x, y) => x[0] - y[0]);
      // a tenth are withdrawn by the company at Harbin while Hangzhou decides (withdrawal FIFO)
      const withdrawn = ids.filter(([i]) => i % 10 === 3);
      const withdrawals = pool(withdrawn, 2, ([i, id]) =>
        withdraw(qa, () => harbin().url, tokenA, i, id),
      );
      let decisions = 0;
      const deadline = Date.now() + PHASE_MS;
      const drive = pool(ids, 8, async ([i]) => {
        const id = delegations.get(i)!;
        const plan = decisionPlan(i);
        while (Date.now() < deadline) {
          let status: string | undefined;
          try {
            const r = await api(b.url, 'GET', `/api/v1/inbox/${id}`, { token: tokenB });
            status = r.status === 200 ? r.body.status : undefined;
          } catch {
            /* Hangzhou is down */
          }
          if (!status) {
            await sleep(150);
            continue;
          }
          const next = plan[status];
          if (!next) return; // terminal (or withdrawn)
          try {
            const r = await api(b.url, 'POST', `/api/v1/inbox/${id}/decision`, {
              token: tokenB,
              json: next,
            });
            if (r.status === 200) decisions++;
          } catch {
            await sleep(150);
          }
        }
        throw new Error(`delegation ${id} not decided in time`);
      });
      const kills = Promise.all([
        killLoop([b], KILLS, [500, 1500], [100, 800]),
        killLoop([a1, a2], 2, [1000, 2500], [100, 600]),
      ]);
      await Promise.all([drive, withdrawals, kills]);
      figures.decisions = decisions;
      figures.withdrawalsRequested = withdrawn.length;
      await waitFor('callbacks converged', async () => {
        const [oa, ob] = [await outboxOpen(qa), await outboxOpen(qb)];
        if (oa.open || ob.open) return false;
        const a = await qa(`SELECT id, status, seq FROM delegations`);
        const m = new Map(
          (await qb(`SELECT id, status, seq FROM inbox_items`)).map((r) => [r.id, r]),
        );
        return a.every((r) => m.get(r.id)?.status === r.status && m.get(r.id)?.seq === r.seq);
      });
      await stopCutter();
      toA.dropRate = 0;
      toB.dropRate = 0;
      figures.callbacksMs = Date.now() - t0;
    },
    PHASE_MS * 2,
  );

  it('SIGTERM: every process stops claiming, finishes in-flight work and exits 0', async () => {
    const results = await Promise.all(
      [a1, a2, b].map(async (p) => ({ name: p.name, ...(await p.terminate()) })),
    );
    figures.sigterm = results;
    expect(results.map((r) => r.code)).toEqual([0, 0, 0]);
    expect(
      (await qa(`SELECT count(*)::int AS n FROM outbox WHERE status = 'in_flight'`))[0]!.n,
    ).toBe(0);
    expect(
      (await qb(`SELECT count(*)::int AS n FROM outbox WHERE status = 'in_flight'`))[0]!.n,
    ).toBe(0);
  }, 60_000);

  it('both ledgers agree: every message exactly once on each side, same bytes, same receipts', async () => {
    // 1. statuses converged, all final
    const aDel = await qa(`SELECT id, status, seq FROM delegations ORDER BY id`);
    const bInbox = await qb(`SELECT id, status, seq FROM inbox_items ORDER BY id`);
    expect(aDel).toHaveLength(N + WARMUP);
    expect(bInbox).toEqual(aDel);
    const finals = new Set(['repaired', 'denied', 'withdrawn']);
    expect(aDel.filter((d) => !finals.has(d.status))).toEqual([]);

    // 2. every outbox row delivered, none dead, exactly one successful attempt each
    for (const q of [qa, qb]) await deliveredOnceEach(q);

    // 3. what one side sent is exactly what the other received (ids, digests, receipts)
    const aToB = await sentEqualsReceived(qa, qb);
    const bToA = await sentEqualsReceived(qb, qa);
    expect(bToA.types).toEqual(['callback']);

    // 4. no message id twice in either ledger; every indexed message is the entry it names
    for (const q of [qa, qb]) await ledgerHoldsEachOnce(q);

    // 5. both ledgers verify end to end (Merkle tree, checkpoints)
    for (const [city, schema] of [
      [HARBIN, schemaA],
      [HANGZHOU, schemaB],
    ] as const)
      figures[`ledger_${city}`] = await ledgerVerifies(keysDir, city, schema);

    // Witnessing runs beside delivery on both replicas: no false fork or shrink alarm.
    const witnessAlarms = { [HARBIN]: await alarms(qa), [HANGZHOU]: await alarms(qb) };
    expect(witnessAlarms).toEqual({ [HARBIN]: [], [HANGZHOU]: [] });
    Object.assign(figures, {
      witnessAlarms,
      messagesHarbinToHangzhou: aToB.count,
      messagesHangzhouToHarbin: bToA.count,
      receiptsForHarbin: aToB.receipts, // fewer than messages: receipt.batch per batch request
      receiptsForHangzhou: bToA.receipts,
      outboxHarbin: await attempts(qa),
      outboxHangzhou: await attempts(qb),
      kills: { [a1.name]: a1.kills, [a2.name]: a2.kills, [b.name]: b.kills },
      proxyToHangzhou: toB.stats,
      proxyToHarbin: toA.stats,
      cutAll: cuts,
      losses: 0,
      duplicates: 0,
      totalMs: Date.now() - started,
    });
    const text = JSON.stringify(figures, null, 2);
    if (process.env.CHAOS_SUMMARY_FILE) writeFileSync(process.env.CHAOS_SUMMARY_FILE, text + '\n');
    process.stdout.write(`\nchaos summary\n${text}\n`);
  }, 120_000);
});
