import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { applyStatusReport } from '../../../gateway/cases/delivery-effects';
import { loadCityConfigs } from '../../../gateway/config/load-city-configs';
import { startPlatformSimulator, type RunningSimulator } from '../../../gateway/simulator/server';
import { addShenzhen, copyCityConfigs, SHENZHEN } from '../../support/city-configs';
import { eventually, startFederation, type TestFederation } from '../../support/federation';
import { caseBody, penaltyRecord } from '../../support/fixtures';
import { api } from '../../support/http';

const HARBIN = '230100';

/**
 * Acceptance of config-only onboarding: a city that does not run Tongban and is not in the
 * repo is added by writing one config file (rest adapter → its platform, here the simulator);
 * after a restart, a case with a penalty there reaches repaired.
 */
describe('onboarding a rest city by config alone (Harbin gateway on PostgreSQL, simulated Shenzhen platform)', () => {
  let sim: RunningSimulator;
  let configDir: string;
  let fed: TestFederation;
  let token: string;
  const url = () => fed.gw[HARBIN]!.url;
  const getCase = async (id: string) =>
    (await api(url(), 'GET', `/api/v1/cases/${id}`, { token })).body;

  beforeAll(async () => {
    sim = await startPlatformSimulator();
    configDir = copyCityConfigs();
    fed = await startFederation([HARBIN], {
      configDir,
      now: () => new Date('2026-11-20T02:00:00Z'),
    });
    token = await fed.token(HARBIN);
  });
  afterAll(async () => {
    await fed.close();
    await sim.close();
    rmSync(configDir, { recursive: true, force: true });
  });

  it('cannot file a Shenzhen penalty before the city is configured', async () => {
    const res = await api(url(), 'POST', '/api/v1/cases', {
      token,
      json: caseBody([penaltyRecord(SHENZHEN, '深市监罚〔2026〕1号')]),
    });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('not_eligible');
  });

  it('after writing one config file and a restart, a case with a Shenzhen penalty reaches repaired', async () => {
    addShenzhen(configDir, sim.url, { pollIntervalMs: 100 });
    await fed.restart(HARBIN);

    const filed = await api(url(), 'POST', '/api/v1/cases', {
      token,
      json: caseBody([penaltyRecord(SHENZHEN, '深市监罚〔2026〕2号')]),
    });
    expect(filed.status).toBe(201);
    const d = (filed.body.delegations as { id: string; penalisingCity: string }[])[0]!;
    expect(d.penalisingCity).toBe(SHENZHEN);
    const delegation = async () =>
      ((await getCase(filed.body.id)).delegations as Record<string, unknown>[])[0]!;

    // Delivered through the rest adapter: the platform holds it in its own terms.
    await eventually(
      async () => sim.platform.applications.has(d.id),
      'platform received the application',
    );
    expect(sim.platform.applications.get(d.id)!.sq).toMatchObject({
      tyshxydm: '91350100M000100Y43',
      djcs: HARBIN,
      tjsj: '20261120100000',
      cfxx: [
        {
          cfjdsh: '深市监罚〔2026〕2号',
          cfrq: '20260510',
          hylb: '01',
          cfjb: '2',
          lxqk: '1',
          cfzl: [{ lb: '01' }],
        },
      ],
    });
    await eventually(
      async () => (await delegation()).status === 'delivered',
      'delivered at Harbin',
    );

    // The platform's officers decide; the poller turns each step into the delegation's status.
    const platformSays = (zt: string, extra: Record<string, unknown> = {}) =>
      api(sim.url, 'POST', `/admin/sq/${d.id}/zt`, { json: { zt, ...extra } });
    await platformSays('02');
    await eventually(async () => (await delegation()).status === 'accepted', 'accepted');
    await platformSays('04', { bzcl: ['缴款凭证'] });
    await eventually(
      async () => (await getCase(filed.body.id)).status === 'action_required',
      'action required at Harbin',
    );
    expect((await delegation()).materialsRequested).toEqual(['缴款凭证']);

    // Harbin answers the request once; the materials reach the platform, which resumes review.
    const supplied = await api(url(), 'POST', `/api/v1/delegations/${d.id}/materials`, {
      token,
      json: {
        materials: [{ kind: 'fulfilment_proof', fileName: 'receipt.pdf', sha256: 'b'.repeat(64) }],
      },
    });
    expect(supplied.status).toBe(200);
    await eventually(
      async () => sim.platform.applications.get(d.id)!.zt === '03',
      'platform resumed review',
    );
    expect(sim.platform.applications.get(d.id)!.clqd.map((m) => m.wjm)).toEqual([
      'commitment.pdf',
      'receipt.pdf',
    ]);
    await eventually(
      async () => (await delegation()).status === 'under_review',
      'under review at Harbin',
    );

    await platformSays('05');
    await eventually(async () => (await delegation()).status === 'approved', 'approved');
    await platformSays('06');
    const done = await eventually(async () => {
      const c = await getCase(filed.body.id);
      return c.status === 'completed' ? c : undefined;
    }, 'case completed');
    expect(done.delegations[0]).toMatchObject({
      status: 'repaired',
      seq: sim.platform.applications.get(d.id)!.bbh,
    });

    // The ledger holds what the platform answered: each delivery and each applied status.
    const entries = await fed.gw[HARBIN]!.gw.store.query<{ idx: string; data: Uint8Array }>(
      `SELECT idx, data FROM ledger_entries WHERE kind = 'adapter' ORDER BY idx`,
    );
    const docs = entries.rows.map((r): Record<string, any> => ({
      ...(JSON.parse(Buffer.from(r.data).toString('utf8')) as Record<string, any>),
      idx: Number(r.idx),
    }));
    const mine = docs.filter((x) => x.delegationId === d.id);
    expect(mine.filter((x) => x.operation === 'deliver')).toHaveLength(1);
    expect(mine.filter((x) => x.operation === 'materials')).toHaveLength(1);
    const applied = mine.filter((x) => x.operation === 'status').map((x) => x.outcome.status);
    // (a poller only sees the statuses it polls: each step above was waited for)
    expect(applied).toEqual([
      'delivered',
      'accepted',
      'materials_requested',
      'under_review',
      'approved',
      'repaired',
    ]);
    expect(JSON.parse(mine[0]!.response.body)).toMatchObject({
      code: '0000',
      data: { ywlsh: d.id, sqbh: expect.stringMatching(/^XF/) },
    });

    // The officers see the same answers on the case, each covered by a signed checkpoint;
    // the bodies stay in the ledger.
    const detail = await eventually(async () => {
      const c = await getCase(filed.body.id);
      return c.platformAnswers.length === mine.length &&
        c.platformAnswers.every((a: { verified: boolean }) => a.verified)
        ? c
        : undefined;
    }, 'platform answers on the case, verified');
    expect(detail.platformAnswers).toEqual(
      mine.map((x) => ({
        ledgerIndex: x.idx,
        at: x.at,
        city: SHENZHEN,
        delegationId: d.id,
        operation: x.operation,
        httpStatus: x.response.status,
        status: x.operation === 'status' ? x.outcome.status : null,
        verified: true,
        detail: expect.stringMatching(/^inclusion in checkpoint of size \d+ verified$/),
      })),
    );
    expect(JSON.stringify(detail.platformAnswers)).not.toContain('ywlsh');
  });

  it('never lets an older platform answer overwrite a newer status (seq rule)', async () => {
    const gw = fed.gw[HARBIN]!.gw;
    const filed = await api(url(), 'POST', '/api/v1/cases', {
      token,
      json: caseBody([penaltyRecord(SHENZHEN, '深市监罚〔2026〕3号')]),
    });
    const id = filed.body.delegations[0].id as string;
    await eventually(async () => sim.platform.applications.has(id), 'platform received it');
    await api(sim.url, 'POST', `/admin/sq/${id}/zt`, { json: { zt: '02' } });
    await api(sim.url, 'POST', `/admin/sq/${id}/zt`, { json: { zt: '03' } });
    await eventually(
      async () => (await getCase(filed.body.id)).delegations[0].status === 'under_review',
      'under review',
    );
    const evidence = {
      adapter: 'rest' as const,
      city: SHENZHEN,
      operation: 'status' as const,
      request: { method: 'GET', url: 'test' },
      response: { status: 200, body: '{}' },
    };
    const late = await gw.store.tx((q) =>
      applyStatusReport(
        gw,
        q,
        SHENZHEN,
        { delegationId: id, status: 'accepted', seq: 2 },
        evidence,
      ),
    );
    expect(late).toMatchObject({ applied: false, reason: 'stale' });
    expect((await getCase(filed.body.id)).delegations[0].status).toBe('under_review');
  });

  it("carries the company's withdrawal to the platform", async () => {
    const filed = await api(url(), 'POST', '/api/v1/cases', {
      token,
      json: caseBody([penaltyRecord(SHENZHEN, '深市监罚〔2026〕4号')]),
    });
    const id = filed.body.delegations[0].id as string;
    await eventually(
      async () => (await getCase(filed.body.id)).delegations[0].status === 'delivered',
      'delivered',
    );
    const w = await api(url(), 'POST', `/api/v1/cases/${filed.body.id}/withdrawal`, {
      token,
      json: { reason: '企业撤回申请' },
    });
    expect(w.status).toBe(200);
    await eventually(
      async () => sim.platform.applications.get(id)!.zt === '09',
      'withdrawn at the platform',
    );
    expect(sim.platform.applications.get(id)!.yy).toBe('企业撤回申请');
    await eventually(
      async () => (await getCase(filed.body.id)).status === 'withdrawn',
      'case withdrawn at Harbin',
    );
  });

  it('refuses to start with a mapping mistake, naming the file and the field', async () => {
    const file = join(configDir, `${SHENZHEN}.yaml`);
    const good = readFileSync(file, 'utf8');
    writeFileSync(
      file,
      good.replace(
        'records[].decisionNo: cfxx[].cfjdsh',
        'records[].decisionNumber: cfxx[].cfjdsh',
      ),
    );
    try {
      expect(() => loadCityConfigs(configDir)).toThrow(
        new RegExp(
          `${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+: /adapter/options/fields/records\\[\\]\\.decisionNumber: "records\\[\\]\\.decisionNumber" is not a field of DelegationCreate`,
        ),
      );
      await expect(fed.restart(HARBIN)).rejects.toThrow(/records\[\]\.decisionNo/);
    } finally {
      writeFileSync(file, good);
      await fed.restart(HARBIN);
    }
  });
});
