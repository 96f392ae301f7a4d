import { createServer, type Server } from 'node:http';
import type { StartOptions } from '../../gateway/runtime/start';
import { deliveryStatsOf, outboxDepth } from '../../gateway/delivery/stats';
import { caseBody, decisionNo, HANGZHOU, HARBIN, KUNMING, record } from '../chaos/fixtures';
import { eventually, startFederation, type TestFederation } from '../support/federation';
import { api } from '../support/http';
import { TcpProxy } from '../support/tcp-proxy';

/**
 * Peer trouble: a dark city must not slow delivery to the others (circuit breaker, per-peer
 * in-flight cap), a peer's 429/503 and Retry-After are honoured for the whole peer, refusals
 * are dead letters at once. Assertions are on counts (attempts, connections), not timings.
 */
const FAST = { pollMs: 50, baseDelayMs: 50, maxDelayMs: 400, timeoutMs: 800, workers: 4 };

describe('delivery under peer trouble (PostgreSQL)', () => {
  let fed: TestFederation;
  let toKunming: TcpProxy;
  let officer: string;
  let n = 1000;
  let fake: {
    server: Server;
    url: string;
    answer: (n: number) => { status: number; headers?: Record<string, string>; body?: unknown };
    hits: number;
  };

  const g = (c: string) => fed.gw[c]!;
  const sql = async <R = any>(c: string, text: string, params: unknown[] = []) =>
    (await g(c).gw.store.query<R>(text, params)).rows;

  async function restartHarbin(kunmingUrl: string, extra: Partial<StartOptions> = {}) {
    const urls = Object.fromEntries(Object.entries(fed.gw).map(([c, r]) => [c, r.url]));
    await fed.restart(HARBIN, {
      urlOverrides: { ...urls, [KUNMING]: kunmingUrl },
      delivery: FAST,
      ...extra,
    });
  }

  async function fileCase(city: string) {
    const res = await api(g(HARBIN).url, 'POST', '/api/v1/cases', {
      token: officer,
      json: caseBody([record(city, decisionNo(city, n++))]),
    });
    expect(res.status).toBe(201);
    return res.body.delegations[0].id as string;
  }
  const rows = (ids: string[]) =>
    sql(
      HARBIN,
      `SELECT * FROM outbox WHERE type = 'delegation.create' AND delegation_id = ANY($1)`,
      [ids],
    );

  beforeAll(async () => {
    fed = await startFederation([HARBIN, HANGZHOU, KUNMING], { delivery: FAST });
    officer = await fed.token(HARBIN);
    toKunming = await TcpProxy.start({ upstreams: [g(KUNMING).port] });
    const server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        const a = fake.answer(++fake.hits);
        res.writeHead(a.status, { 'content-type': 'application/problem+json', ...a.headers });
        res.end(JSON.stringify(a.body ?? { code: 'test', detail: `status ${a.status}` }));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as { port: number }).port;
    fake = { server, url: `http://127.0.0.1:${port}`, answer: () => ({ status: 500 }), hits: 0 };
  });
  afterEach(async () => {
    toKunming.setMode('pass');
    // leftovers of a test never leak into the next one
    await sql(
      HARBIN,
      `UPDATE outbox SET status = 'dead', dead_at = now() WHERE status IN ('pending', 'in_flight')`,
    );
  });
  afterAll(async () => {
    await fed.close();
    await toKunming.close();
    await new Promise((r) => fake.server.close(r));
  });

  it('one dark peer never slows delivery to another: every message to the live peer goes out on its first attempt', async () => {
    await restartHarbin(toKunming.url);
    toKunming.setMode('dark');
    const dark: string[] = [];
    const live: string[] = [];
    for (let i = 0; i < 15; i++) {
      dark.push(await fileCase(KUNMING));
      live.push(await fileCase(HANGZHOU));
    }
    await eventually(
      async () => (await rows(live)).every((r) => r.status === 'delivered'),
      'live peer delivered',
      20_000,
    );
    const liveRows = await rows(live);
    expect(liveRows.map((r) => r.attempts)).toEqual(Array(15).fill(1));
    // the dark peer never held more than its share of the workers, so the live one always had
    // free slots; once its sends time out its circuit opens and it gets only probes
    const stats = deliveryStatsOf(g(HARBIN).gw)!;
    await eventually(async () => stats.peer(KUNMING)!.breaker !== 'closed', 'circuit open', 10_000);
    await new Promise((r) => setTimeout(r, 2 * FAST.timeoutMs));
    expect(stats.peer(KUNMING)!.peakInFlight).toBeLessThanOrEqual(3); // workers - ceil(workers / 4)
    const darkAttempts = (await rows(dark)).reduce((s, r) => s + r.attempts, 0);
    expect(darkAttempts).toBeLessThan(dark.length); // the breaker stops the per-message storm
    expect(['open', 'half_open']).toContain(stats.peer(KUNMING)!.breaker);
    expect(stats.peer(HANGZHOU)).toMatchObject({ breaker: 'closed', retries: 0, deadLetters: 0 });
    expect(stats.peer(HANGZHOU)!.latency.count).toBe(15);
    const depth = await outboxDepth(g(HARBIN).gw.store);
    expect(depth.filter((d) => d.peer === HANGZHOU)).toEqual([]);
    expect(depth.find((d) => d.peer === KUNMING && d.status !== 'dead')?.count).toBeGreaterThan(0);

    // the peer comes back: everything queued for it is delivered, once each
    toKunming.setMode('pass');
    await eventually(
      async () => (await rows(dark)).every((r) => r.status === 'delivered'),
      'dark peer caught up',
      20_000,
    );
    const got = await sql(KUNMING, 'SELECT id FROM inbox_items WHERE id = ANY($1)', [dark]);
    expect(got).toHaveLength(dark.length);
    expect(stats.peer(KUNMING)!.breaker).toBe('closed');
  });

  it('429 with Retry-After pauses the whole peer for that long; 503 without it counts as a failure', async () => {
    await restartHarbin(fake.url);
    fake.hits = 0;
    fake.answer = () => ({ status: 429, headers: { 'retry-after': '30' } });
    const ids = [await fileCase(KUNMING), await fileCase(KUNMING), await fileCase(KUNMING)];
    const stats = deliveryStatsOf(g(HARBIN).gw)!;
    await eventually(async () => stats.peer(KUNMING)?.breaker === 'open', 'paused');
    const hits = fake.hits;
    expect(hits).toBeLessThanOrEqual(2); // at most the sends already under way (per-peer cap)
    await new Promise((r) => setTimeout(r, 600)); // > several base delays and poll intervals
    // nothing more while paused: not one request per message or per backoff step
    expect(fake.hits).toBe(hits);
    const tried = (await rows(ids)).filter((r) => r.attempts > 0);
    expect(tried).toHaveLength(hits);
    for (const t of tried) {
      const wait = await sql(
        HARBIN,
        `SELECT EXTRACT(EPOCH FROM next_attempt_at - now())::float8 AS s FROM outbox WHERE id = $1`,
        [t.id],
      );
      expect(wait[0].s).toBeGreaterThan(25);
      expect(t.last_error).toMatch(/^429/);
    }

    // 503 without Retry-After: retried with backoff, the breaker opens after 3 failures
    await restartHarbin(fake.url, { delivery: { ...FAST, maxDelayMs: 100 } });
    await sql(HARBIN, `UPDATE outbox SET next_attempt_at = now() WHERE delegation_id = ANY($1)`, [
      ids,
    ]);
    fake.hits = 0;
    fake.answer = () => ({ status: 503 });
    await eventually(async () => fake.hits >= 6, 'retries', 40_000).catch(async (e: Error) => {
      // say what the worker saw, so a rare failure on a loaded CI machine can be read
      const state = JSON.stringify({
        hits: fake.hits,
        breaker: deliveryStatsOf(g(HARBIN).gw)!.peer(KUNMING),
        rows: (await rows(ids)).map((r) => [r.status, r.attempts, r.next_attempt_at, r.last_error]),
      });
      throw new Error(`${e.message}; ${state}`);
    });
    expect(deliveryStatsOf(g(HARBIN).gw)!.peer(KUNMING)!.deadLetters).toBe(0);
    expect((await rows(ids)).every((r) => r.status !== 'dead')).toBe(true);
  });

  it('a refusal (4xx) is a dead letter at once; unknown_key (peer has not pinned our key yet) and try_again (another writer got there first) are retried', async () => {
    await restartHarbin(fake.url);
    fake.hits = 0;
    fake.answer = () => ({ status: 401, body: { code: 'unknown_key', detail: 'no key' } });
    const retried = await fileCase(KUNMING);
    await eventually(async () => fake.hits >= 2, 'retried');
    expect((await rows([retried]))[0].status).not.toBe('dead');

    fake.answer = () => ({ status: 409, body: { code: 'try_again', detail: 'head moved' } });
    const before = fake.hits;
    await eventually(async () => fake.hits >= before + 2, 'retried after try_again');
    expect((await rows([retried]))[0].status).not.toBe('dead');

    fake.answer = () => ({ status: 422, body: { code: 'validation_failed', detail: 'bad body' } });
    await eventually(async () => (await rows([retried]))[0].status === 'dead', 'dead letter');
    const dead = (await rows([retried]))[0];
    expect(dead.last_error).toBe('422 validation_failed: bad body');
    expect(
      (await sql(HARBIN, 'SELECT status FROM delegations WHERE id = $1', [retried]))[0].status,
    ).toBe('failed');
    // a refusal says the peer is alive: its circuit stays closed
    expect(deliveryStatsOf(g(HARBIN).gw)!.peer(KUNMING)!.breaker).toBe('closed');
  });
});
