import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { deliveryEffects } from '../../gateway/cases/delivery-effects';
import { claimJobs } from '../../gateway/delivery/claim';
import { deliverOne } from '../../gateway/delivery/deliver-one';
import { queueMessage } from '../../gateway/exchange/outbound';
import { contracts } from '../../gateway/http/contracts';
import { readPrivateKeyFile, signEnvelope } from '../../gateway/signing';
import { caseBody, decisionNo, HANGZHOU, HARBIN, KUNMING, record } from '../chaos/fixtures';
import { eventually } from '../support/federation';
import { api } from '../support/http';
import { deliveryWorld, FAST } from './delivery-world';

/**
 * The delivery path between real gateways on PostgreSQL: transactional outbox, dead letters
 * and the operator's replay, a lost receipt, two copies of one message at once, leases and
 * fencing (per-delegation FIFO: delivery-order.test.ts). Faults come from a TCP proxy between the gateways.
 */

describe('delivery (three gateways on loopback, PostgreSQL)', () => {
  const world = deliveryWorld();
  const { g, sql, one, restartHarbin, fileCase, outbox, delegationStatus, inbox } = world;

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
        token: world.officer,
        json: caseBody([record(HANGZHOU, decisionNo(HANGZHOU, world.next()))]),
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
    world.toKunming.setMode('refuse');
    const c = await fileCase(KUNMING);
    const dead = await eventually(async () => {
      const r = await api(g(HARBIN).url, 'GET', '/api/v1/deliveries?status=dead', {
        token: world.officer,
      });
      return r.body.items.find((d: any) => d.delegationId === c.delegationId);
    }, 'dead letter');
    expect(dead.type).toBe('delegation.create');
    expect(dead.lastError).toMatch(/retry budget spent/);
    expect(await delegationStatus(c.delegationId)).toBe('failed');
    expect(await inbox(KUNMING, c.delegationId)).toBeUndefined();

    world.toKunming.setMode('pass');
    const denied = await api(g(HARBIN).url, 'POST', `/api/v1/deliveries/${dead.id}/replay`, {
      token: world.officer,
    });
    expect(denied.status).toBe(403);
    const replay = await api(g(HARBIN).url, 'POST', `/api/v1/deliveries/${dead.id}/replay`, {
      token: world.supervisor,
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
      token: world.supervisor,
    });
    expect(again.status).toBe(409);
  });

  it('receipt lost: the sender resends the same bytes and gets the original receipt', async () => {
    world.toHangzhou.cutResponses(1, /^POST \/exchange\/v1\/delegations /);
    const c = await fileCase(HANGZHOU);
    await eventually(
      async () => (await outbox(c.delegationId))?.status === 'delivered',
      'delivered',
    );
    const row = await outbox(c.delegationId);
    expect(world.toHangzhou.stats.responseCuts).toBe(1);
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
    const key = readPrivateKeyFile(join(world.fed.keysDir, `${HARBIN}.private.jwk.json`));
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
        records: [record(HANGZHOU, decisionNo(HANGZHOU, world.next()))],
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
    world.toHangzhou.setMode('refuse');
    expect((await deliverOne(gw, b, effects, { worker: 'worker-b' })).outcome).toBe('retry');
    const afterB = await outbox(c.delegationId);
    expect(afterB).toMatchObject({ status: 'pending', attempts: 2 });
    // A wakes up and fails too: fenced out, the row is untouched
    expect((await deliverOne(gw, a, effects, { worker: 'worker-a' })).outcome).toBe('superseded');
    expect(await outbox(c.delegationId)).toEqual(afterB);
    // A's late success still counts (a receipt is a fact) but runs the effects only once
    world.toHangzhou.setMode('pass');
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
    world.toKunming.setMode('dark');
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
    world.toKunming.setMode('pass');
    await restartHarbin();
    await eventually(
      async () => (await outbox(c.delegationId))?.status === 'delivered',
      'delivered after restart',
    );
  });
});
