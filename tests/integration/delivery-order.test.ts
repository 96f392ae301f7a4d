import { HARBIN, KUNMING } from '../chaos/fixtures';
import { eventually } from '../support/federation';
import { api } from '../support/http';
import { TcpProxy } from '../support/tcp-proxy';
import { deliveryWorld, FAST } from './delivery-world';

/**
 * Per-delegation FIFO between real gateways on PostgreSQL (docs/delivery.md, *Claiming*): a
 * withdrawal never overtakes its delegation.create, and the callbacks of one delegation leave in
 * seq order, none stale, across an outage of the receiving side.
 */
describe('delivery order (three gateways on loopback, PostgreSQL)', () => {
  const world = deliveryWorld();
  const { g, sql, fileCase, outbox, delegationStatus, inbox } = world;

  it('per-delegation FIFO: a withdrawal never overtakes its delegation.create', async () => {
    world.toKunming.setMode('refuse');
    const c = await fileCase(KUNMING);
    const w = await api(g(HARBIN).url, 'POST', `/api/v1/cases/${c.caseId}/withdrawal`, {
      token: world.officer,
      json: { reason: '企业撤回申请' },
    });
    expect(w.status).toBe(200);
    // the create keeps failing; the withdrawal behind it is never even tried
    await eventually(async () => (await outbox(c.delegationId))?.attempts >= 2, 'create retried');
    const held = await outbox(c.delegationId, 'delegation.withdrawal');
    expect(held).toMatchObject({ status: 'pending', attempts: 0 });
    world.toKunming.setMode('pass');
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
    const urls = Object.fromEntries(Object.entries(world.fed.gw).map(([city, r]) => [city, r.url]));
    const toHarbin = await TcpProxy.start({ upstreams: [g(HARBIN).port] });
    try {
      await world.fed.restart(KUNMING, {
        urlOverrides: { ...urls, [HARBIN]: toHarbin.url },
        delivery: FAST,
      });
      toHarbin.setMode('refuse');
      const token = await world.fed.token(KUNMING);
      for (const action of ['accept', 'start_review', 'approve', 'mark_repaired']) {
        const r = await api(
          world.fed.gw[KUNMING]!.url,
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
      const receipts = await world.fed.gw[KUNMING]!.gw.store.query<{ data: Uint8Array }>(
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
      await world.fed.restart(KUNMING, { urlOverrides: urls, delivery: FAST });
      await toHarbin.close();
    }
  });
});
