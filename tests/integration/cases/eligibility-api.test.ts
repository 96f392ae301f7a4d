import { api } from '../../support/http';
import { startFederation, type TestFederation } from '../../support/federation';

const rec = (over: Record<string, unknown> = {}) => ({
  ref: 'r1',
  issuingCity: '330100',
  issuingDivision: '330106',
  authority: '杭州市西湖区市场监督管理局',
  sector: 'market_supervision',
  decisionNo: '杭西市监罚〔2026〕第7号',
  decisionDate: '2026-05-10',
  publicityStartDate: '2026-05-15',
  measures: [{ type: 'fine' }],
  severity: 'ordinary',
  fineCny: 3000,
  finePaidDate: '2026-05-20',
  otherObligationsFulfilled: true,
  ...over,
});

/** POST /api/v1/eligibility as an officer calls it: rules outcome, dates and SLA clocks. */
describe('eligibility pre-check over HTTP', () => {
  let fed: TestFederation;
  let base: string;
  let token: string;
  beforeAll(async () => {
    fed = await startFederation(['230100']);
    base = fed.gw['230100']!.url;
    token = await fed.token('230100');
  });
  afterAll(() => fed.close());
  const check = (body: unknown) => api(base, 'POST', '/api/v1/eligibility', { token, json: body });

  it('gives each record its outcome, the deciding rule and the date it becomes eligible', async () => {
    const res = await check({
      uscc: '91350100M000100Y43',
      requestDate: '2026-08-15',
      records: [rec(), rec({ ref: 'r2' })],
    });
    expect(res.status).toBe(200);
    expect(res.body.rulesVersion).toBe('cn-2026-04');
    expect(res.body.records[0]).toMatchObject({
      ref: 'r1',
      outcome: 'not_yet_eligible',
      eligibleFrom: '2026-08-16',
      routeCity: '330100',
    });
    const next = await check({ requestDate: '2026-08-16', records: [rec()] });
    expect(next.body.records[0]).toMatchObject({
      outcome: 'eligible_now',
      eligibleFrom: '2026-08-16',
    });
    expect(next.body.filingAllowed).toBe(true);
  });

  it('flags a non-member city not_routable and an unpaid fine not yet eligible without a date', async () => {
    const res = await check({
      requestDate: '2026-09-01',
      records: [
        rec({ issuingCity: '440300', issuingDivision: '440304' }), // Shenzhen: not a member (Guangzhou 440100 is)
        rec({ finePaidDate: null }),
      ],
    });
    expect(res.body.records.map((r: { outcome: string }) => r.outcome)).toEqual([
      'not_routable',
      'not_yet_eligible',
    ]);
    expect(res.body.records[1].eligibleFrom).toBeNull();
  });

  it('computes SLA due dates in working days across holidays, with the city SLA where configured', async () => {
    // received Thu 2026-06-18; Dragon Boat holiday 06-19..21 → national 3 WD due Wed 06-24
    const res = await check({
      requestDate: '2026-08-16',
      receivedDate: '2026-06-18',
      records: [rec()],
    });
    expect(res.body.sla).toMatchObject({ decisionDue: '2026-06-24', provisional: false });
    // Hangzhou promises a decision within 2 working days and an acknowledgement within 30 minutes
    expect(res.body.records[0].citySla).toMatchObject({ decisionDue: '2026-06-23' });
    expect(res.body.records[0].citySla.acknowledgeDue).toMatch(/^2026-06-18T09:30/);
  });

  describe('when the company code is invalid', () => {
    it('refuses the whole request naming the field', async () => {
      const res = await check({ uscc: '91350211M00013FA1N', records: [rec()] });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: 'invalid_uscc', pointer: '/uscc' });
    });
  });

  describe('when a date is not a date', () => {
    it('answers 400 with the pointer', async () => {
      const res = await check({ records: [rec({ decisionDate: '2026-13-01' })] });
      expect(res.status).toBe(400);
      expect(res.body.pointer).toBe('/records/0/decisionDate');
    });
  });
});
