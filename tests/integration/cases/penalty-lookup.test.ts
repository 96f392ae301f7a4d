import { seedDemoPenalties } from '../../../gateway/sandbox/demo-data';
import { api } from '../../support/http';
import { startFederation, type TestFederation } from '../../support/federation';

/** The federated lookup asks every member in parallel and returns each city's answer or error. */
describe('federated penalty lookup', () => {
  let fed: TestFederation;
  beforeAll(async () => {
    fed = await startFederation(['230100', '330100', '530100']);
    await seedDemoPenalties(fed.gw['330100']!.gw.store, '330100');
    await seedDemoPenalties(fed.gw['530100']!.gw.store, '530100');
  });
  afterAll(() => fed.close());

  it('collects records from the cities that hold them and reports unreachable members', async () => {
    const token = await fed.token('230100');
    const res = await api(fed.gw['230100']!.url, 'POST', '/api/v1/penalty-lookup', {
      token,
      json: { uscc: '91350100M000100Y43', timeoutMs: 1500 },
    });
    expect(res.status).toBe(200);
    const by = Object.fromEntries(res.body.results.map((r: { city: string }) => [r.city, r]));
    expect(by['330100']).toMatchObject({
      status: 'ok',
      records: [expect.objectContaining({ authority: '杭州市交通运输局' })],
    });
    expect(by['530100']).toMatchObject({
      status: 'ok',
      records: [expect.objectContaining({ issuingCity: '530100' })],
    });
    expect(by['230100']).toMatchObject({ status: 'ok', records: [] });
    // the other four members run no gateway in this test: each is an error, none blocks the rest
    const others = res.body.results.filter(
      (r: { city: string }) => !['230100', '330100', '530100'].includes(r.city),
    );
    expect(others.length).toBeGreaterThanOrEqual(4);
    expect(others.every((r: { status: string }) => r.status !== 'ok')).toBe(true);
    // queries and answers are in Harbin's ledger
    const n = await fed.gw['230100']!.gw.store.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM messages WHERE type IN ('penalty.query', 'penalty.answer')`,
    );
    expect(n.rows[0]!.n).toBeGreaterThanOrEqual(res.body.results.length + 3);
  });
});
