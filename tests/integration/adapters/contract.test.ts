import { randomUUID } from 'node:crypto';
import { isAdapterError } from '../../../adapters/errors';
import type { DelegationCreateBody } from '../../../gateway/cases/types';
import { contracts } from '../../../gateway/http/contracts';
import { HARNESSES, type AdapterHarness } from './harness';

/**
 * The adapter contract: every kind (manual, gateway, rest) passes the same suite, so the
 * registration side can treat any penalising city alike.
 */
describe.each(HARNESSES)('adapter contract: %s', (_name, start) => {
  let h: AdapterHarness;
  beforeAll(async () => {
    h = await start();
  });
  afterAll(() => h.close());

  const delegation = (): DelegationCreateBody => ({
    delegationId: randomUUID(),
    caseId: randomUUID(),
    registrationCity: h.registrationCity,
    company: { uscc: '91350100M000100Y43', name: '示例物流有限公司' },
    applicant: { name: '张三', role: 'agent' },
    records: [
      {
        issuingCity: h.penalisingCity,
        authority: '市场监督管理局',
        sector: 'market_supervision',
        decisionNo: `罚〔2026〕${Math.floor(Math.random() * 1e6)}号`,
        decisionDate: '2026-05-10',
        publicityStartDate: '2026-05-15',
        measures: [{ type: 'fine' }],
        severity: 'ordinary',
        fineCny: 5000,
        finePaidDate: '2026-05-30',
        otherObligationsFulfilled: true,
      },
    ],
    materials: [{ kind: 'commitment_letter', fileName: 'commitment.pdf', sha256: 'a'.repeat(64) }],
    rulesVersion: 'cn-2026-04',
    submittedAt: new Date().toISOString(),
  });

  async function delivered(): Promise<string> {
    const body = delegation();
    await h.adapter.deliver(h.sign('delegation.create', body, body.caseId));
    return body.delegationId;
  }

  it('declares whether the city pushes its statuses or is polled', () => {
    expect(h.adapter.statusMode).toBe(h.expectedMode);
    expect(h.adapter.city).toBe(h.penalisingCity);
  });

  it('delivers a delegation once, even when the same message comes again, with evidence of the answer', async () => {
    const body = delegation();
    const msg = h.sign('delegation.create', body, body.caseId);
    const first = await h.adapter.deliver(msg);
    expect(Date.parse(first.value.receivedAt)).not.toBeNaN();
    expect(first.evidence).toMatchObject({ city: h.penalisingCity, operation: 'deliver' });
    expect(first.evidence.response.body.length).toBeGreaterThan(0);
    await expect(h.adapter.deliver(msg)).resolves.toBeDefined();
    const s = await h.adapter.status(body.delegationId);
    expect(s.value).toMatchObject({ delegationId: body.delegationId, status: 'delivered' });
  });

  it("reports each of the city's decisions, in order", async () => {
    const id = await delivered();
    let last = (await h.adapter.status(id)).value.seq ?? 0;
    for (const to of ['accepted', 'under_review', 'approved', 'repaired'] as const) {
      await h.decide(id, to);
      const s = (await h.adapter.status(id)).value;
      expect(s.status).toBe(to);
      if (s.seq !== undefined) {
        expect(s.seq).toBeGreaterThan(last);
        last = s.seq;
      }
    }
  });

  it('round-trips a materials request: the list is reported, the supply resumes review', async () => {
    const id = await delivered();
    await h.decide(id, 'accepted');
    await h.decide(id, 'materials_requested', { materialsRequested: ['缴款凭证'] });
    const asked = (await h.adapter.status(id)).value;
    expect(asked.status).toBe('materials_requested');
    expect(asked.materialsRequested).toEqual(['缴款凭证']);
    const supply = h.sign('delegation.materials', {
      delegationId: id,
      materials: [
        { kind: 'fulfilment_proof' as const, fileName: 'receipt.pdf', sha256: 'b'.repeat(64) },
      ],
    });
    await h.adapter.supplyMaterials(supply);
    expect((await h.adapter.status(id)).value.status).toBe('under_review');
  });

  it('refuses, for good, materials nobody asked for', async () => {
    const id = await delivered();
    const supply = h.sign('delegation.materials', {
      delegationId: id,
      materials: [{ kind: 'other' as const, fileName: 'x.pdf', sha256: 'c'.repeat(64) }],
    });
    const e = await h.adapter.supplyMaterials(supply).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(isAdapterError(e)).toBe(true);
    expect(e).toMatchObject({ retryable: false });
  });

  it('withdraws an open delegation; a decided one stays as it is and says so', async () => {
    const open = await delivered();
    const w = await h.adapter.withdraw(
      h.sign('delegation.withdrawal', { delegationId: open, reason: '企业撤回申请' }),
    );
    expect(w.value.applied).toBe(true);
    expect((await h.adapter.status(open)).value.status).toBe('withdrawn');

    const done = await delivered();
    for (const to of ['accepted', 'approved', 'repaired'] as const) await h.decide(done, to);
    const late = await h.adapter.withdraw(h.sign('delegation.withdrawal', { delegationId: done }));
    expect(late.value).toMatchObject({ applied: false, status: 'repaired' });
    expect((await h.adapter.status(done)).value.status).toBe('repaired');
  });

  it('answers not_found for a delegation it never received', async () => {
    await expect(h.adapter.status(randomUUID())).rejects.toMatchObject({
      code: 'not_found',
      retryable: false,
    });
  });

  it('looks up penalties as contract PenaltyRecords', async () => {
    const found = await h.adapter.lookupPenalties(h.penalties.uscc);
    expect(found.value.map((r) => r.decisionNo)).toContain(h.penalties.decisionNo);
    const v = contracts().schemaValidator('exchange', 'PenaltyRecord');
    for (const r of found.value) expect(v(r)).toBe(true);
    expect((await h.adapter.lookupPenalties('91230100MA1B2C3D49')).value).toEqual([]);
  });
});
