import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { deliveryEffects } from '../../gateway/cases/delivery-effects';
import { claimJobs } from '../../gateway/delivery/claim';
import { deliverOne } from '../../gateway/delivery/deliver-one';
import { queueMessage } from '../../gateway/exchange/outbound';
import { contracts } from '../../gateway/http/contracts';
import type { StartOptions } from '../../gateway/runtime/start';
import { readPrivateKeyFile, signEnvelope } from '../../gateway/signing';
import { caseBody, decisionNo, HANGZHOU, HARBIN, KUNMING, record } from '../chaos/fixtures';
import { eventually, startFederation, type TestFederation } from '../support/federation';
import { api } from '../support/http';
import { TcpProxy } from '../support/tcp-proxy';

/**
 * The delivery path between real gateways on PostgreSQL: transactional outbox, dead letters
 * and the operator's replay, a lost receipt, two copies of one message at once, per-delegation
 * FIFO, leases and fencing. Faults come from a TCP proxy between the gateways.
 */
const FAST = { pollMs: 50, baseDelayMs: 50, maxDelayMs: 400, timeoutMs: 1500 };

describe('delivery (three gateways on loopback, PostgreSQL)', () => {
  let fed: TestFederation;
  let toKunming: TcpProxy;
  let toHangzhou: TcpProxy;
  let officer: string;
  let supervisor: string;
  let n = 100;

  const g = (c: string) => fed.gw[c]!;
  const sql = async <R = any>(c: string, text: string, params: unknown[] = []) =>
    (await g(c).gw.store.query<R>(text, params)).rows;
  const one = async <R = any>(c: string, text: string, params: unknown[] = []) =>
    (await sql<R>(c, text, params))[0];

  /** Harbin reaches its peers through the proxies, with these delivery settings. */
  async function restartHarbin(extra: Partial<StartOptions> = {}) {
    const urls = Object.fromEntries(Object.entries(fed.gw).map(([c, r]) => [c, r.url]));
    await fed.restart(HARBIN, {
      urlOverrides: { ...urls, [KUNMING]: toKunming.url, [HANGZHOU]: toHangzhou.url },
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
    return { caseId: res.body.id as string, delegationId: res.body.delegations[0].id as string };
  }

  const outbox = (delegationId: string, type = 'delegation.create') =>
    one(HARBIN, 'SELECT * FROM outbox WHERE delegation_id = $1 AND type = $2', [
      delegationId,
      type,
    ]);
  const delegationStatus = async (id: string) =>
    (await one(HARBIN, 'SELECT status FROM delegations WHERE id = $1', [id]))?.status;
  const inbox = (city: string, id: string) =>
    one(city, 'SELECT * FROM inbox_items WHERE id = $1', [id]);

  beforeAll(async () => {
    fed = await startFederation([HARBIN, HANGZHOU, KUNMING], { delivery: FAST });
    toKunming = await TcpProxy.start({ upstreams: [g(KUNMING).port] });
    toHangzhou = await TcpProxy.start({ upstreams: [g(HANGZHOU).port] });
    officer = await fed.token(HARBIN);
    supervisor = await fed.token(HARBIN, 'supervisor');
    await restartHarbin();
  });
  afterEach(async () => {
    toKunming.setMode('pass');
    toHangzhou.setMode('pass');
    toKunming.dropRate = 0;
    toHangzhou.dropRate = 0;
    await restartHarbin(); // default settings, fresh breaker, worker running
  });
  afterAll(async () => {
    await fed.close();
    await toKunming.close();
    await toHangzhou.close();
  });

  it('transactional outbox: a state change that fails leaves no outbox row, message or ledger entry', async () => {
    const count = async () =>
      one(
        HARBIN,
        `SELECT (SELECT count(*) FROM outbox)::int AS outbox, (SELECT count(*) FROM messages)::int AS messages,
                (SELECT count(*) FROM ledger_entries)::int AS entries, (SELECT size FROM ledger_head) AS size,
                (SELECT count(*) FROM cases)::int AS cases, (SELECT count(*) FROM delegations)::int AS delegations`,
      );
    const before = await count();
    // 1. queueMessage inside a transaction whose state change then fails
    const gw = g(HARBIN).gw;
    await expect(
      gw.store.tx(async (q) => {
        await queueMessage(gw, q, {
          type: 'delegation.withdrawal',
          to: KUNMING,
          body: { delegationId: randomUUID() },
        });
        throw new Error('state change failed');
      }),
    ).rejects.toThrow('state change failed');
    expect(await count()).toEqual(before);
    // 2. a real intake whose last write fails in the database (after its outbox row was written)
    await gw.store.exec(`
      CREATE FUNCTION refuse_case_record() RETURNS trigger LANGUAGE plpgsql AS
        $$ BEGIN RAISE EXCEPTION 'case_records refused (test)'; END $$;
      CREATE TRIGGER refuse_case_record BEFORE INSERT ON case_records
        FOR EACH ROW EXECUTE FUNCTION refuse_case_record();`);
    try {
      const res = await api(g(HARBIN).url, 'POST', '/api/v1/cases', {
        token: officer,
        json: caseBody([record(HANGZHOU, decisionNo(HANGZHOU, n++))]),
      });
      expect(res.status).toBe(500);
    } finally {
      await gw.store.exec(
        'DROP TRIGGER refuse_case_record ON case_records; DROP FUNCTION refuse_case_record();',
      );
    }
    expect(await count()).toEqual(before);
  });

  it('dead letter and replay: dead → pending → delivered, delegation failed → submitted → delivered', async () => {
    await restartHarbin({ delivery: { ...FAST, budgetMs: 1000 } });
    toKunming.setMode('refuse');
    const c = await fileCase(KUNMING);
    const dead = await eventually(async () => {
      const r = await api(g(HARBIN).url, 'GET', '/api/v1/deliveries?status=dead', {
        token: officer,
      });
      return r.body.items.find((d: any) => d.delegationId === c.delegationId);
    }, 'dead letter');
    expect(dead.type).toBe('delegation.create');
    expect(dead.lastError).toMatch(/retry budget spent/);
    expect(await delegationStatus(c.delegationId)).toBe('failed');
    expect(await inbox(KUNMING, c.delegationId)).toBeUndefined();

    toKunming.setMode('pass');
    const denied = await api(g(HARBIN).url, 'POST', `/api/v1/deliveries/${dead.id}/replay`, {
      token: officer,
    });
    expect(denied.status).toBe(403);
    const replay = await api(g(HARBIN).url, 'POST', `/api/v1/deliveries/${dead.id}/replay`, {
      token: supervisor,
    });
    expect(replay.status).toBe(200);
    expect(['pending', 'in_flight', 'delivered']).toContain(replay.body.status);
    await eventually(
      async () => (await outbox(c.delegationId))?.status === 'delivered',
      'replayed delivery',
    );
    expect(await delegationStatus(c.delegationId)).toBe('delivered');
    expect((await inbox(KUNMING, c.delegationId))?.status).toBe('delivered');
    const again = await api(g(HARBIN).url, 'POST', `/api/v1/deliveries/${dead.id}/replay`, {
      token: supervisor,
    });
    expect(again.status).toBe(409);
  });

  it('receipt lost: the sender resends the same bytes and gets the original receipt', async () => {
    toHangzhou.cutResponses(1, /^POST \/exchange\/v1\/delegations /);
    const c = await fileCase(HANGZHOU);
    await eventually(
      async () => (await outbox(c.delegationId))?.status === 'delivered',
      'delivered',
    );
    const row = await outbox(c.delegationId);
    expect(toHangzhou.stats.responseCuts).toBe(1);
    expect(row.attempts).toBeGreaterThanOrEqual(2);
    // Hangzhou applied it once: one inbox item, one message, one ledger entry
    expect((await inbox(HANGZHOU, c.delegationId))?.status).toBe('delivered');
    const theirs = await sql(HANGZHOU, `SELECT * FROM messages WHERE id = $1`, [row.message_id]);
    expect(theirs).toHaveLength(1);
    expect(
      (
        await one(HANGZHOU, 'SELECT count(*)::int AS n FROM ledger_entries WHERE message_id = $1', [
          row.message_id,
        ])
      ).n,
    ).toBe(1);
    // and both sides hold the same receipt
    const ours = await one(
      HARBIN,
      `SELECT receipt_id FROM messages WHERE id = $1 AND direction = 'out'`,
      [row.message_id],
    );
    expect(ours.receipt_id).toBe(theirs[0].receipt_id);
    const rIn = await one(
      HARBIN,
      `SELECT digest FROM messages WHERE id = $1 AND direction = 'in'`,
      [ours.receipt_id],
    );
    const rOut = await one(
      HANGZHOU,
      `SELECT digest FROM messages WHERE id = $1 AND direction = 'out'`,
      [ours.receipt_id],
    );
    expect(rIn.digest).toBe(rOut.digest);
    const attempts = await sql(
      HARBIN,
      'SELECT outcome FROM delivery_attempts WHERE outbox_id = $1 ORDER BY attempt',
      [row.id],
    );
    expect(attempts.map((a) => a.outcome)).toEqual([
      ...Array(attempts.length - 1).fill('retry'),
      'delivered',
    ]);
  });

  it('replay race: ten copies of one message at once are applied once and all get the same receipt', async () => {
    const key = readPrivateKeyFile(join(fed.keysDir, `${HARBIN}.private.jwk.json`));
    const delegationId = randomUUID();
    const env = {
      id: randomUUID(),
      type: 'delegation.create' as const,
      from: HARBIN,
      to: HANGZHOU,
      contract: contracts().refs.exchange,
      issuedAt: new Date().toISOString(),
      caseRef: randomUUID(),
      body: {
        delegationId,
        caseId: randomUUID(),
        registrationCity: HARBIN,
        company: { uscc: '91350100M000100Y43', name: '示例物流有限公司' },
        applicant: { name: '张三', role: 'agent' },
        records: [record(HANGZHOU, decisionNo(HANGZHOU, n++))],
        materials: [],
        rulesVersion: 'cn-2026-04',
        submittedAt: new Date().toISOString(),
      },
    };
    const bytes = signEnvelope(env, key).bytes;
    const answers = await Promise.all(
      Array.from({ length: 10 }, () =>
        api(g(HANGZHOU).url, 'POST', '/exchange/v1/delegations', {
          body: bytes,
          headers: { 'content-type': 'application/jose+json' },
        }),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(200));
    expect(new Set(answers.map((a) => a.text)).size).toBe(1);
    expect(
      await sql(HANGZHOU, 'SELECT id FROM inbox_items WHERE id = $1', [delegationId]),
    ).toHaveLength(1);
    expect(await sql(HANGZHOU, `SELECT id FROM messages WHERE id = $1`, [env.id])).toHaveLength(1);
    expect(
      (
        await one(HANGZHOU, 'SELECT count(*)::int AS n FROM ledger_entries WHERE message_id = $1', [
          env.id,
        ])
      ).n,
    ).toBe(1);
  });

  it('per-delegation FIFO: a withdrawal never overtakes its delegation.create', async () => {
    toKunming.setMode('refuse');
    const c = await fileCase(KUNMING);
    const w = await api(g(HARBIN).url, 'POST', `/api/v1/cases/${c.caseId}/withdrawal`, {
      token: officer,
      json: { reason: '企业撤回申请' },
    });
    expect(w.status).toBe(200);
    // the create keeps failing; the withdrawal behind it is never even tried
    await eventually(async () => (await outbox(c.delegationId))?.attempts >= 2, 'create retried');
    const held = await outbox(c.delegationId, 'delegation.withdrawal');
    expect(held).toMatchObject({ status: 'pending', attempts: 0 });
    toKunming.setMode('pass');
    await eventually(
      async () => (await inbox(KUNMING, c.delegationId))?.status === 'withdrawn',
      'withdrawn',
    );
    await eventually(
      async () => (await outbox(c.delegationId, 'delegation.withdrawal'))?.status === 'delivered',
      'withdrawal delivered',
    );
    const order = await sql(
      KUNMING,
      `SELECT type FROM messages WHERE delegation_id = $1 AND direction = 'in' AND type LIKE 'delegation.%'
        ORDER BY ledger_index`,
      [c.delegationId],
    );
    expect(order.map((m) => m.type)).toEqual(['delegation.create', 'delegation.withdrawal']);
    expect((await outbox(c.delegationId, 'delegation.withdrawal')).attempts).toBe(1);
  });

  it('per-delegation FIFO: callbacks of one delegation leave in seq order, none stale', async () => {
    const c = await fileCase(KUNMING);
    await eventually(
      async () => (await inbox(KUNMING, c.delegationId))?.status === 'delivered',
      'delivered',
    );
    // Harbin is unreachable for Kunming while four decisions queue four callbacks
    const urls = Object.fromEntries(Object.entries(fed.gw).map(([city, r]) => [city, r.url]));
    const toHarbin = await TcpProxy.start({ upstreams: [g(HARBIN).port] });
    try {
      await fed.restart(KUNMING, {
        urlOverrides: { ...urls, [HARBIN]: toHarbin.url },
        delivery: FAST,
      });
      toHarbin.setMode('refuse');
      const token = await fed.token(KUNMING);
      for (const action of ['accept', 'start_review', 'approve', 'mark_repaired']) {
        const r = await api(
          fed.gw[KUNMING]!.url,
          'POST',
          `/api/v1/inbox/${c.delegationId}/decision`,
          { token, json: { action } },
        );
        expect(r.status).toBe(200);
      }
      await eventually(async () => toHarbin.stats.refused >= 2, 'callbacks tried');
      toHarbin.setMode('pass');
      await eventually(
        async () => (await delegationStatus(c.delegationId)) === 'repaired',
        'repaired at Harbin',
      );
      const seqs = await sql(
        HARBIN,
        `SELECT e.data FROM messages m JOIN ledger_entries e ON e.idx = m.ledger_index
          WHERE m.delegation_id = $1 AND m.type = 'callback' AND m.direction = 'in' ORDER BY m.ledger_index`,
        [c.delegationId],
      );
      const bodies = seqs.map(
        (r) =>
          JSON.parse(
            Buffer.from(JSON.parse(Buffer.from(r.data).toString()).payload, 'base64url').toString(),
          ).body,
      );
      expect(bodies.map((b) => b.seq)).toEqual([1, 2, 3, 4]);
      const receipts = await fed.gw[KUNMING]!.gw.store.query<{ data: Uint8Array }>(
        `SELECT e.data FROM messages m JOIN ledger_entries e ON e.idx = m.ledger_index
          WHERE m.delegation_id = $1 AND m.type = 'receipt' AND m.direction = 'in'`,
        [c.delegationId],
      );
      const results = receipts.rows.map(
        (r) =>
          JSON.parse(
            Buffer.from(JSON.parse(Buffer.from(r.data).toString()).payload, 'base64url').toString(),
          ).body.result,
      );
      expect(results.filter((x) => x?.applied === false)).toEqual([]);
    } finally {
      await fed.restart(KUNMING, { urlOverrides: urls, delivery: FAST });
      await toHarbin.close();
    }
  });

  it('lease and fencing: a claim whose holder died is taken over; the late holder cannot overwrite it', async () => {
    await restartHarbin({ workers: false });
    const gw = g(HARBIN).gw;
    const effects = deliveryEffects(gw);
    const c = await fileCase(HANGZHOU);
    const id = (await outbox(c.delegationId)).id;
    const claim = async (leaseMs: number, worker: string) => {
      const jobs = await claimJobs(gw.store, { limit: 10, leaseMs, worker, skipPeers: [KUNMING] });
      return jobs.find((j) => j.id === id);
    };
    // worker A claims with a short lease and "dies"; worker B takes over after the lease
    const a = (await claim(200, 'worker-a'))!;
    expect(a.attempts).toBe(1);
    expect(await claim(200, 'worker-b')).toBeUndefined(); // still leased
    await new Promise((r) => setTimeout(r, 300));
    const b = (await claim(5_000, 'worker-b'))!;
    expect(b.attempts).toBe(2);
    // Hangzhou unreachable: B's attempt fails and schedules a retry
    toHangzhou.setMode('refuse');
    expect((await deliverOne(gw, b, effects, { worker: 'worker-b' })).outcome).toBe('retry');
    const afterB = await outbox(c.delegationId);
    expect(afterB).toMatchObject({ status: 'pending', attempts: 2 });
    // A wakes up and fails too: fenced out, the row is untouched
    expect((await deliverOne(gw, a, effects, { worker: 'worker-a' })).outcome).toBe('superseded');
    expect(await outbox(c.delegationId)).toEqual(afterB);
    // A's late success still counts (a receipt is a fact) but runs the effects only once
    toHangzhou.setMode('pass');
    expect((await deliverOne(gw, a, effects, { worker: 'worker-a' })).outcome).toBe('delivered');
    expect((await deliverOne(gw, b, effects, { worker: 'worker-b' })).outcome).toBe('superseded');
    expect(await outbox(c.delegationId)).toMatchObject({ status: 'delivered' });
    expect(await delegationStatus(c.delegationId)).toBe('delivered');
    expect(
      await sql(HANGZHOU, 'SELECT id FROM inbox_items WHERE id = $1', [c.delegationId]),
    ).toHaveLength(1);
    const tries = await sql(
      HARBIN,
      'SELECT attempt, outcome, worker FROM delivery_attempts WHERE outbox_id = $1 ORDER BY attempt',
      [id],
    );
    // one audit row per claim: A's first (fenced) result, B's retry
    expect(tries).toEqual([
      { attempt: 1, outcome: 'superseded', worker: 'worker-a' },
      { attempt: 2, outcome: 'retry', worker: 'worker-b' },
    ]);
  });

  it('a graceful stop aborts sends still running after the grace period and returns them to the queue', async () => {
    toKunming.setMode('dark');
    const c = await fileCase(KUNMING);
    await eventually(
      async () => (await outbox(c.delegationId))?.status === 'in_flight',
      'in flight',
    );
    const worker = g(HARBIN).delivery;
    const t0 = Date.now();
    await worker.stop(100);
    expect(Date.now() - t0).toBeLessThan(FAST.timeoutMs);
    const row = await outbox(c.delegationId);
    expect(row).toMatchObject({ status: 'pending', claimed_by: null });
    expect(row.last_error).toMatch(/interrupted by shutdown/);
    toKunming.setMode('pass');
    await restartHarbin();
    await eventually(
      async () => (await outbox(c.delegationId))?.status === 'delivered',
      'delivered after restart',
    );
  });
});
