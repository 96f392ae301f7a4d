import { createPublicKey } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { issueDevToken, loadOrCreateDevIssuer } from '../../gateway/auth/dev-issuer';
import { verifyLedger, vkeyOf } from '../../gateway/ledger';
import { ensureCityKey } from '../../gateway/runtime/keys';
import { dropSchema, randomSchema, TEST_DATABASE_URL } from '../support/db';
import { freePort } from '../support/federation';
import { api } from '../support/http';
import { TcpProxy } from '../support/tcp-proxy';
import { caseBody, HANGZHOU, HARBIN, record } from './fixtures';
import { GatewayProcess, pool, prng, sleep } from './harness';

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
const between = (lo: number, hi: number) => Math.round(lo + rand() * (hi - lo));

type Row = Record<string, any>;

describe(`chaos: ${N} delegations across SIGKILLs and cut connections (seed ${SEED})`, () => {
  const started = Date.now();
  const schemaA = randomSchema('chaos_a');
  const schemaB = randomSchema('chaos_b');
  const keysDir = mkdtempSync(join(tmpdir(), 'tongban-chaos-keys-'));
  const logsDir = mkdtempSync(join(tmpdir(), 'tongban-chaos-logs-'));
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

  const qa = async (sql: string, params: unknown[] = []): Promise<Row[]> =>
    (await dbA.query(sql, params)).rows;
  const qb = async (sql: string, params: unknown[] = []): Promise<Row[]> =>
    (await dbB.query(sql, params)).rows;
  const harbin = () => (a1.up ? a1 : a2);

  /** File case i (idempotent by externalRef: a filing whose answer was lost is not repeated). */
  async function file(i: number, via: () => GatewayProcess): Promise<void> {
    const ref = `chaos-${i}`;
    for (let tries = 0; tries < 100; tries++) {
      const known = await qa(
        `SELECT d.id FROM cases c JOIN delegations d ON d.case_id = c.id WHERE c.external_ref = $1`,
        [ref],
      );
      if (known[0]) {
        delegations.set(i, known[0].id);
        return;
      }
      try {
        const res = await api(via().url, 'POST', '/api/v1/cases', {
          token: tokenA,
          json: caseBody([record(HANGZHOU, `杭交执罚〔2026〕第${i}号`)], ref),
        });
        if (res.status === 201) {
          delegations.set(i, res.body.delegations[0].id);
          return;
        }
        throw new Error(`filing ${ref}: ${res.status} ${res.text}`);
      } catch (e) {
        if (/filing/.test((e as Error).message)) throw e;
        await sleep(200); // the replica went away: look again, then retry
      }
    }
    throw new Error(`could not file ${ref}`);
  }

  /** Kill `victim` `times` times, each after a random gap, down for a random while. */
  async function killLoop(
    victims: GatewayProcess[],
    times: number,
    gap: [number, number],
    down: [number, number],
  ) {
    for (let k = 0; k < times; k++) {
      await sleep(between(...gap));
      const v = victims[k % victims.length]!;
      await v.kill();
      await sleep(between(...down));
      await v.start();
    }
  }

  /** Cut every open connection through both proxies every ~0.5–1.5 s until stopped. */
  function cutter(): () => Promise<void> {
    let on = true;
    const loop = (async () => {
      while (on) {
        await sleep(between(500, 1500));
        if (!on) break;
        cuts += toA.cutAll() + toB.cutAll();
      }
    })();
    return async () => {
      on = false;
      await loop;
    };
  }

  async function outboxOpen(q: typeof qa) {
    const r = await q(
      `SELECT count(*) FILTER (WHERE status IN ('pending', 'in_flight'))::int AS open,
              count(*) FILTER (WHERE status = 'dead')::int AS dead, count(*)::int AS total FROM outbox`,
    );
    return r[0]!;
  }

  async function waitFor(what: string, check: () => Promise<boolean>, ms = PHASE_MS) {
    const until = Date.now() + ms;
    while (Date.now() < until) {
      if (await check().catch(() => false)) return;
      await sleep(200);
    }
    throw new Error(`chaos: timed out waiting for ${what}`);
  }

  beforeAll(async () => {
    for (const c of [HARBIN, HANGZHOU]) ensureCityKey(keysDir, c);
    const issuer = await loadOrCreateDevIssuer(keysDir);
    tokenA = await issueDevToken(issuer, { city: HARBIN, role: 'officer' });
    tokenB = await issueDevToken(issuer, { city: HANGZHOU, role: 'officer' });
    const [pa1, pa2, pb] = [await freePort(), await freePort(), await freePort()];
    toB = await TcpProxy.start({ upstreams: [pb], random: rand });
    toA = await TcpProxy.start({ upstreams: [pa1, pa2], random: rand });
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
    await Promise.all([a1.start(), a2.start(), b.start()]);
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
    if (process.env.CHAOS_KEEP_LOGS) process.stdout.write(`chaos logs: ${logsDir}\n`);
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
      const withdrawals = pool(withdrawn, 2, async ([i, id]) => {
        const caseId = (await qa(`SELECT case_id FROM delegations WHERE id = $1`, [id]))[0]!
          .case_id;
        for (let tries = 0; tries < 50; tries++) {
          try {
            const r = await api(harbin().url, 'POST', `/api/v1/cases/${caseId}/withdrawal`, {
              token: tokenA,
              json: { reason: `chaos ${i}` },
            });
            if (r.status === 200 || r.status === 409) return; // 409: already decided, nothing to withdraw
          } catch {
            /* the replica went away */
          }
          const queued = await qa(
            `SELECT 1 FROM outbox WHERE delegation_id = $1 AND type = 'delegation.withdrawal'`,
            [id],
          );
          if (queued.length) return;
          await sleep(200);
        }
      });
      const path = (i: number) =>
        i % 4 === 1 ? ['accept', 'deny'] : ['accept', 'start_review', 'approve', 'mark_repaired'];
      const NEXT: Record<string, Record<string, { action: string; reason?: string }>> = {
        repair: {
          delivered: { action: 'accept' },
          accepted: { action: 'start_review' },
          under_review: { action: 'approve' },
          approved: { action: 'mark_repaired' },
        },
        deny: {
          delivered: { action: 'accept' },
          accepted: { action: 'deny', reason: '存在未履行的义务' },
        },
      };
      let decisions = 0;
      const deadline = Date.now() + PHASE_MS;
      const drive = pool(ids, 8, async ([i]) => {
        const id = delegations.get(i)!;
        const plan = NEXT[path(i).length === 2 ? 'deny' : 'repair']!;
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
    for (const q of [qa, qb]) {
      const ob = await q(`SELECT status, count(*)::int AS n FROM outbox GROUP BY status`);
      expect(ob.map((r) => r.status)).toEqual(['delivered']);
      const twice = await q(
        `SELECT outbox_id FROM delivery_attempts WHERE outcome = 'delivered' GROUP BY outbox_id HAVING count(*) <> 1`,
      );
      expect(twice).toEqual([]);
      const unlogged = await q(
        `SELECT o.id FROM outbox o WHERE NOT EXISTS (SELECT 1 FROM delivery_attempts a WHERE a.outbox_id = o.id AND a.outcome = 'delivered')`,
      );
      expect(unlogged).toEqual([]);
    }

    // 3. what one side sent is exactly what the other received (ids, digests, receipts)
    const pair = async (sender: typeof qa, receiver: typeof qa) => {
      const sent = await sender(
        `SELECT m.id, m.type, m.digest, m.receipt_id FROM outbox o JOIN messages m ON m.id = o.message_id AND m.direction = 'out' ORDER BY m.id`,
      );
      const types = [...new Set(sent.map((s) => s.type))];
      const got = await receiver(
        `SELECT id, type, digest, receipt_id FROM messages WHERE direction = 'in' AND type = ANY($1) ORDER BY id`,
        [types],
      );
      expect(got).toEqual(sent); // no loss, no duplicate, same bytes, same receipt id
      const rs = await sender(
        `SELECT id, digest FROM messages WHERE direction = 'in' AND type = 'receipt' AND id = ANY($1) ORDER BY id`,
        [sent.map((s) => s.receipt_id)],
      );
      const ro = await receiver(
        `SELECT id, digest FROM messages WHERE direction = 'out' AND type = 'receipt' AND id = ANY($1) ORDER BY id`,
        [sent.map((s) => s.receipt_id)],
      );
      expect(rs).toHaveLength(sent.length);
      expect(rs).toEqual(ro);
      return { types, count: sent.length };
    };
    const aToB = await pair(qa, qb);
    const bToA = await pair(qb, qa);
    expect(bToA.types).toEqual(['callback']);

    // 4. no message id twice in either ledger; every indexed message is the entry it names
    for (const q of [qa, qb]) {
      const dup = await q(
        `SELECT message_id FROM ledger_entries WHERE message_id IS NOT NULL GROUP BY message_id HAVING count(*) > 1`,
      );
      expect(dup).toEqual([]);
      const mismatch = await q(
        `SELECT m.id FROM messages m JOIN ledger_entries e ON e.idx = m.ledger_index WHERE e.message_id IS DISTINCT FROM m.id`,
      );
      expect(mismatch).toEqual([]);
    }

    // 5. both ledgers verify end to end (Merkle tree, checkpoints)
    for (const [city, schema] of [
      [HARBIN, schemaA],
      [HANGZHOU, schemaB],
    ] as const) {
      const { openStore } = await import('../../gateway/store');
      const { readPrivateKeyFile } = await import('../../gateway/signing');
      const key = readPrivateKeyFile(join(keysDir, `${city}.private.jwk.json`));
      const store = await openStore({ databaseUrl: TEST_DATABASE_URL, schema });
      try {
        const report = await verifyLedger(store, {
          vkey: vkeyOf(`tongban.example/ledger/${city}`, createPublicKey(key.privateKey)),
        });
        expect(report.problems).toEqual([]);
        expect(report.ok).toBe(true);
        figures[`ledger_${city}`] = { entries: report.size, checkpoints: report.checkpoints };
      } finally {
        await store.close();
      }
    }

    const attempts = async (q: typeof qa) =>
      (
        await q(
          `SELECT count(*)::int AS rows, sum(attempts)::int AS attempts, max(attempts)::int AS max FROM outbox`,
        )
      )[0];
    // Witnessing runs beside delivery on both replicas: no false fork or shrink alarm.
    const alarms = async (q: typeof qa) =>
      (await q(`SELECT peer, status, detail FROM peer_checkpoints WHERE status <> 'ok'`)).map(
        (r) => `${r.peer}: ${r.status} (${r.detail})`,
      );
    const witnessAlarms = { [HARBIN]: await alarms(qa), [HANGZHOU]: await alarms(qb) };
    expect(witnessAlarms).toEqual({ [HARBIN]: [], [HANGZHOU]: [] });
    Object.assign(figures, {
      witnessAlarms,
      messagesHarbinToHangzhou: aToB.count,
      messagesHangzhouToHarbin: bToA.count,
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
