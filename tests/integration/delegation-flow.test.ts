import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { readPrivateKeyFile, signEnvelope } from '../../gateway/signing';
import { contracts } from '../../gateway/http/contracts';
import { caseBody, penaltyRecord } from '../support/fixtures';
import { api } from '../support/http';
import { eventually, startFederation, type TestFederation } from '../support/federation';

const HARBIN = '230100';
const HANGZHOU = '330100';
const KUNMING = '530100';

describe('register locally, repair anywhere (three gateways on loopback, PostgreSQL)', () => {
  let fed: TestFederation;
  let tokens: Record<string, string>;
  const url = (c: string) => fed.gw[c]!.url;

  beforeAll(async () => {
    fed = await startFederation([HARBIN, HANGZHOU, KUNMING], {
      now: () => new Date('2026-11-20T02:00:00Z'),
    });
    tokens = {
      [HARBIN]: await fed.token(HARBIN),
      [HANGZHOU]: await fed.token(HANGZHOU),
      [KUNMING]: await fed.token(KUNMING),
    };
  });
  afterAll(() => fed.close());

  async function fileCase(records: unknown[]) {
    const res = await api(url(HARBIN), 'POST', '/api/v1/cases', {
      token: tokens[HARBIN],
      json: caseBody(records),
    });
    expect(res.status).toBe(201);
    return res.body as { id: string; delegations: { id: string; penalisingCity: string }[] };
  }
  const getCase = async (id: string) =>
    (await api(url(HARBIN), 'GET', `/api/v1/cases/${id}`, { token: tokens[HARBIN] })).body;
  const decide = (city: string, id: string, body: unknown) =>
    api(url(city), 'POST', `/api/v1/inbox/${id}/decision`, { token: tokens[city], json: body });
  const inboxStatus = async (city: string, id: string) =>
    (await api(url(city), 'GET', `/api/v1/inbox/${id}`, { token: tokens[city] })).body?.status;
  const delegationStatus = async (caseId: string, id: string) =>
    ((await getCase(caseId)).delegations as { id: string; status: string }[]).find(
      (d) => d.id === id,
    )?.status;

  it('repairs a Harbin case with penalties from Hangzhou and Kunming, and syncs in both', async () => {
    const c = await fileCase([
      penaltyRecord(HANGZHOU, '杭交执罚〔2026〕第1号'),
      penaltyRecord(KUNMING, '昆市监罚[2026]114号'),
    ]);
    expect(c.delegations.map((d) => d.penalisingCity).sort()).toEqual([HANGZHOU, KUNMING]);
    for (const d of c.delegations) {
      await eventually(
        async () => (await inboxStatus(d.penalisingCity, d.id)) === 'delivered',
        `${d.penalisingCity} inbox`,
      );
      for (const action of ['accept', 'start_review', 'approve']) {
        expect((await decide(d.penalisingCity, d.id, { action })).status).toBe(200);
      }
      const done = await decide(d.penalisingCity, d.id, {
        action: 'mark_repaired',
        syncTargets: ['credit_china', 'necips'],
      });
      expect(done.body.status).toBe('repaired');
    }
    const final = await eventually(async () => {
      const x = await getCase(c.id);
      return x.status === 'completed' ? x : undefined;
    }, 'case completed');
    expect(
      final.delegations.every(
        (d: { status: string; syncTargets: string[] }) =>
          d.status === 'repaired' && d.syncTargets.includes('necips'),
      ),
    ).toBe(true);
    // every message of the case, both directions, verifies (signature + inclusion) once checkpointed
    const verified = await eventually(async () => {
      const x = await getCase(c.id);
      return x.timeline.every((t: { verified: boolean }) => t.verified) ? x : undefined;
    }, 'timeline verified');
    const types = verified.timeline.map((t: { type: string }) => t.type);
    expect(types.filter((t: string) => t === 'delegation.create')).toHaveLength(2);
    expect(types.filter((t: string) => t === 'callback')).toHaveLength(8);
    expect(types.filter((t: string) => t === 'receipt').length).toBeGreaterThanOrEqual(10);
  });

  it('round-trips a materials request: the officer supplies materials once and review resumes', async () => {
    const c = await fileCase([penaltyRecord(HANGZHOU, '杭交执罚〔2026〕第2号')]);
    const d = c.delegations[0]!;
    await eventually(async () => (await inboxStatus(HANGZHOU, d.id)) === 'delivered', 'delivered');
    await decide(HANGZHOU, d.id, { action: 'accept' });
    const req = await decide(HANGZHOU, d.id, {
      action: 'request_materials',
      materialsRequested: ['缴款凭证'],
    });
    expect(req.body.status).toBe('materials_requested');
    await eventually(
      async () => (await getCase(c.id)).status === 'action_required',
      'action required at Harbin',
    );
    const supplied = await api(url(HARBIN), 'POST', `/api/v1/delegations/${d.id}/materials`, {
      token: tokens[HARBIN],
      json: {
        materials: [{ kind: 'fulfilment_proof', fileName: 'receipt.pdf', sha256: 'b'.repeat(64) }],
      },
    });
    expect(supplied.status).toBe(200);
    await eventually(
      async () => (await inboxStatus(HANGZHOU, d.id)) === 'under_review',
      'review resumed',
    );
    const item = (
      await api(url(HANGZHOU), 'GET', `/api/v1/inbox/${d.id}`, { token: tokens[HANGZHOU] })
    ).body;
    expect(item.materials.map((m: { fileName: string }) => m.fileName)).toEqual([
      'commitment.pdf',
      'receipt.pdf',
    ]);
    await eventually(
      async () => (await delegationStatus(c.id, d.id)) === 'under_review',
      'Harbin sees review',
    );
  });

  it('records a denial with its reason on both sides', async () => {
    const c = await fileCase([penaltyRecord(KUNMING, '昆市监罚[2026]200号')]);
    const d = c.delegations[0]!;
    await eventually(async () => (await inboxStatus(KUNMING, d.id)) === 'delivered', 'delivered');
    await decide(KUNMING, d.id, { action: 'accept' });
    const noReason = await decide(KUNMING, d.id, { action: 'deny' });
    expect(noReason.status).toBe(400);
    expect(noReason.body.pointer).toBe('/reason');
    await decide(KUNMING, d.id, { action: 'deny', reason: '存在未履行的行政处罚义务' });
    const after = await eventually(async () => {
      const x = await getCase(c.id);
      return x.status === 'closed' ? x : undefined;
    }, 'closed');
    expect(after.delegations[0].reason).toBe('存在未履行的行政处罚义务');
    const illegal = await decide(KUNMING, d.id, { action: 'approve' });
    expect(illegal.status).toBe(409);
    expect(illegal.body.code).toBe('illegal_transition');
  });

  it('withdraws every open delegation when the company withdraws', async () => {
    const c = await fileCase([
      penaltyRecord(HANGZHOU, '杭交执罚〔2026〕第3号'),
      penaltyRecord(KUNMING, '昆市监罚[2026]300号'),
    ]);
    for (const d of c.delegations)
      await eventually(
        async () => (await inboxStatus(d.penalisingCity, d.id)) === 'delivered',
        'delivered',
      );
    const w = await api(url(HARBIN), 'POST', `/api/v1/cases/${c.id}/withdrawal`, {
      token: tokens[HARBIN],
      json: { reason: '企业撤回申请' },
    });
    expect(w.status).toBe(200);
    for (const d of c.delegations)
      await eventually(
        async () => (await inboxStatus(d.penalisingCity, d.id)) === 'withdrawn',
        `${d.penalisingCity} withdrawn`,
      );
    await eventually(async () => (await getCase(c.id)).status === 'withdrawn', 'case withdrawn');
  });

  it('applies callbacks in sequence order: a late one never overwrites a newer status', async () => {
    const c = await fileCase([penaltyRecord(HANGZHOU, '杭交执罚〔2026〕第4号')]);
    const d = c.delegations[0]!;
    await eventually(async () => (await delegationStatus(c.id, d.id)) === 'delivered', 'delivered');
    const key = readPrivateKeyFile(join(fed.keysDir, `${HANGZHOU}.private.jwk.json`));
    const send = (seq: number, status: string) => {
      const env = {
        id: randomUUID(),
        type: 'callback' as const,
        from: HANGZHOU,
        to: HARBIN,
        contract: contracts().refs.exchange,
        issuedAt: '2026-11-20T02:00:00.000Z',
        caseRef: c.id,
        body: { delegationId: d.id, seq, status, at: '2026-11-20T02:00:00.000Z' },
      };
      return api(url(HARBIN), 'POST', '/exchange/v1/callbacks', {
        body: signEnvelope(env, key).bytes,
        headers: { 'content-type': 'application/jose+json' },
      });
    };
    expect((await send(3, 'approved')).status).toBe(200);
    const late = await send(2, 'under_review');
    expect(late.status).toBe(200);
    const receipt = JSON.parse(
      Buffer.from(JSON.parse(late.text).payload, 'base64url').toString('utf8'),
    );
    expect(receipt.body.result).toMatchObject({ applied: false, reason: 'stale' });
    expect(await delegationStatus(c.id, d.id)).toBe('approved');
  });
});
