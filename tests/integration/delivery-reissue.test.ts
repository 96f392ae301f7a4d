import { caseBody, penaltyRecord } from './../support/fixtures';
import { api } from './../support/http';
import { eventually, startFederation, type TestFederation } from './../support/federation';

const HARBIN = '230100';
const HANGZHOU = '330100';
const MINUTE = 60_000;

const body = caseBody([penaltyRecord(HANGZHOU, '杭交执罚〔2026〕第31号')]);

/**
 * A peer down for longer than the ±5 minute freshness window: the waiting message is signed
 * again before it would be refused as stale, delivered once the peer is back, and applied once.
 */
describe('delivery across an outage longer than the freshness window', () => {
  let fed: TestFederation;
  let offset = 0;
  const now = () => new Date(Date.parse('2026-11-20T02:00:00Z') + offset);
  beforeAll(async () => {
    fed = await startFederation([HARBIN, HANGZHOU], { now });
  });
  afterAll(() => fed.close());

  it('re-issues the delegation and delivers it exactly once when the peer returns', async () => {
    await fed.gw[HANGZHOU]!.close(); // Hangzhou goes down
    const token = await fed.token(HARBIN);
    const c = (await api(fed.gw[HARBIN]!.url, 'POST', '/api/v1/cases', { token, json: body })).body;
    const d = c.delegations[0].id;
    await eventually(async () => {
      const r = await fed.gw[HARBIN]!.gw.store.query<{ attempts: number }>(
        'SELECT attempts FROM outbox WHERE delegation_id = $1',
        [d],
      );
      return (r.rows[0]?.attempts ?? 0) >= 1;
    }, 'a failed attempt');
    offset += 10 * MINUTE; // ten minutes pass on both sides' clocks
    const back = await fed.restart(HANGZHOU);
    const htoken = await fed.token(HANGZHOU);
    fed.gw[HARBIN]!.gw.kickDelivery();
    await eventually(
      async () =>
        (await api(back.url, 'GET', `/api/v1/inbox/${d}`, { token: htoken })).status === 200,
      'delivered after the outage',
    );
    await eventually(async () => {
      const x = await api(fed.gw[HARBIN]!.url, 'GET', `/api/v1/cases/${c.id}`, { token });
      return x.body.delegations[0].status === 'delivered';
    }, 'receipt stored');
    const creates = await fed.gw[HARBIN]!.gw.store.query<{ id: string }>(
      `SELECT id FROM messages WHERE delegation_id = $1 AND type = 'delegation.create' AND direction = 'out'`,
      [d],
    );
    expect(creates.rowCount).toBe(2); // the original and its re-issued copy, both in the ledger
    const inbox = await back.gw.store.query(`SELECT 1 FROM inbox_items WHERE id = $1`, [d]);
    expect(inbox.rowCount).toBe(1);
    const dead = await fed.gw[HARBIN]!.gw.store.query(`SELECT 1 FROM outbox WHERE status = 'dead'`);
    expect(dead.rowCount).toBe(0);
  });
});
