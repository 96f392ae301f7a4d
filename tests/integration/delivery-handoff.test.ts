import { randomUUID } from 'node:crypto';
import { queueMessages } from '../../gateway/exchange/outbound';
import type { Queryable } from '../../gateway/store';
import { caseBody, decisionNo, HANGZHOU, HARBIN, KUNMING, record } from '../chaos/fixtures';
import { eventually, startFederation, type TestFederation } from '../support/federation';
import { api } from '../support/http';

/**
 * Direct hand-off (docs/delivery.md): a message queued for a healthy peer is written already
 * claimed by this process's worker and handed to it after COMMIT, so its first attempt needs no
 * claim. Harbin polls the outbox only once a minute here: anything delivered within seconds
 * went by hand-off.
 */
describe('delivery by direct hand-off (PostgreSQL)', () => {
  let fed: TestFederation;
  const harbin = () => fed.gw[HARBIN]!;
  const outboxOf = async (q: Queryable, messageId: string) =>
    (
      await q.query<{ status: string; attempts: number; claimed_by: string | null }>(
        'SELECT status, attempts, claimed_by FROM outbox WHERE message_id = $1',
        [messageId],
      )
    ).rows[0];
  const receivedBy = async (city: string, messageId: string) =>
    (
      await fed.gw[city]!.gw.store.query(
        `SELECT 1 FROM messages WHERE id = $1 AND direction = 'in'`,
        [messageId],
      )
    ).rowCount;

  beforeAll(async () => {
    fed = await startFederation([HARBIN, HANGZHOU], {
      delivery: { pollMs: 60_000, baseDelayMs: 50, maxDelayMs: 500 },
    });
  });
  afterAll(() => fed.close());

  it('a case filed through intake reaches the peer without waiting for a poll', async () => {
    const token = await fed.token(HARBIN);
    const res = await api(harbin().url, 'POST', '/api/v1/cases', {
      token,
      json: caseBody([record(HANGZHOU, decisionNo(HANGZHOU, 9101))]),
    });
    expect(res.status).toBe(201);
    const row = await eventually(
      async () => {
        const r = (
          await harbin().gw.store.query<{ status: string; attempts: number; message_id: string }>(
            `SELECT o.status, o.attempts, o.message_id FROM outbox o WHERE o.type = 'delegation.create'`,
          )
        ).rows[0];
        return r?.status === 'delivered' ? r : undefined;
      },
      'the delegation delivered (a poll is a minute away)',
      10_000,
    );
    expect(row.attempts).toBe(1);
    expect(await receivedBy(HANGZHOU, row.message_id)).toBe(1);
  });

  it('writes the row claimed by the worker inside the transaction; a rollback sends nothing', async () => {
    const gw = harbin().gw;
    const delegationId = randomUUID();
    let ids: string[] = [];
    await expect(
      gw.store.tx(async (q) => {
        const envs = await queueMessages(gw, q, [
          { type: 'delegation.withdrawal', to: HANGZHOU, body: { delegationId }, delegationId },
          // same delegation, same transaction: per-delegation FIFO, so it waits its turn
          { type: 'delegation.withdrawal', to: HANGZHOU, body: { delegationId }, delegationId },
          // another delegation to a city whose gateway never answers: not tried yet, so healthy
          { type: 'delegation.withdrawal', to: KUNMING, body: { delegationId: randomUUID() } },
        ]);
        ids = envs.map((e) => e.id);
        expect(await outboxOf(q, ids[0]!)).toEqual({
          status: 'in_flight',
          attempts: 1,
          claimed_by: harbin().delivery.id,
        });
        expect(await outboxOf(q, ids[1]!)).toEqual({
          status: 'pending',
          attempts: 0,
          claimed_by: null,
        });
        expect((await outboxOf(q, ids[2]!))?.status).toBe('in_flight');
        throw new Error('the state change failed');
      }),
    ).rejects.toThrow('the state change failed');
    expect(await outboxOf(gw.store, ids[0]!)).toBeUndefined();
    // nothing was handed over: Hangzhou never hears of it
    await new Promise((r) => setTimeout(r, 500));
    expect(await receivedBy(HANGZHOU, ids[0]!)).toBe(0);
  });

  it('a peer with failures on record gets no hand-off: its messages wait pending with backoff', async () => {
    const gw = harbin().gw;
    const [first] = await gw.store.tx((q) =>
      queueMessages(gw, q, [
        { type: 'delegation.withdrawal', to: KUNMING, body: { delegationId: randomUUID() } },
      ]),
    );
    // Kunming's address is a closed port: the handed-off attempt fails, the row goes back to pending
    await eventually(async () => {
      const r = await outboxOf(gw.store, first!.id);
      return r?.status === 'pending' && r.attempts === 1;
    }, 'the first attempt to Kunming failed');
    const [second] = await gw.store.tx(async (q) => {
      const envs = await queueMessages(gw, q, [
        { type: 'delegation.withdrawal', to: KUNMING, body: { delegationId: randomUUID() } },
      ]);
      expect(await outboxOf(q, envs[0]!.id)).toEqual({
        status: 'pending',
        attempts: 0,
        claimed_by: null,
      });
      return envs;
    });
    expect(second).toBeDefined();
  });

  it('a stopped worker takes nothing: rows are written pending for whoever claims next', async () => {
    await harbin().delivery.stop(0);
    const gw = harbin().gw;
    const [env] = await gw.store.tx((q) =>
      queueMessages(gw, q, [
        { type: 'delegation.withdrawal', to: HANGZHOU, body: { delegationId: randomUUID() } },
      ]),
    );
    expect(await outboxOf(gw.store, env!.id)).toEqual({
      status: 'pending',
      attempts: 0,
      claimed_by: null,
    });
  });
});
