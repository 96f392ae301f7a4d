import { rmSync } from 'node:fs';
import { startPlatformSimulator, type RunningSimulator } from '../../gateway/simulator/server';
import { addShenzhen, copyCityConfigs, SHENZHEN } from '../support/city-configs';
import { eventually, startFederation, type TestFederation } from '../support/federation';
import { caseBody, penaltyRecord } from '../support/fixtures';
import { api } from '../support/http';
import { describeWithBrowser, openPage, screenshot, sharedBrowser } from './browser';
import { anchoredClock, COMPANY, HARBIN, type CaseWire } from './dashboard-fixtures';

interface PlatformAnswer {
  ledgerIndex: number;
  operation: string;
  httpStatus: number | null;
  status: string | null;
  verified: boolean;
}

/**
 * The case page shows what a city platform that runs no Tongban answered (the rest adapter's
 * ledger entries, `platformAnswers`), each with its inclusion in the gateway's checkpoint.
 */
describeWithBrowser('liaison dashboard in Chromium: city platform answers', () => {
  const browser = sharedBrowser();
  let sim: RunningSimulator;
  let configDir: string;
  let fed: TestFederation;
  let token: string;
  const clock = anchoredClock();
  const url = () => fed.gw[HARBIN]!.url;
  const getCase = async (id: string) =>
    (
      await api<CaseWire & { platformAnswers: PlatformAnswer[] }>(
        url(),
        'GET',
        `/api/v1/cases/${id}`,
        { token },
      )
    ).body;

  beforeAll(async () => {
    sim = await startPlatformSimulator();
    configDir = copyCityConfigs();
    addShenzhen(configDir, sim.url, { pollIntervalMs: 100 });
    fed = await startFederation([HARBIN], {
      configDir,
      now: clock.now,
      urlOverrides: { [SHENZHEN]: sim.url },
    });
    token = await fed.token(HARBIN);
  }, 60_000);
  afterAll(async () => {
    await fed?.close();
    await sim?.close();
    if (configDir) rmSync(configDir, { recursive: true, force: true });
  });

  it('lists each platform answer with its operation, HTTP status, applied status and verified inclusion', async () => {
    const filed = await api<CaseWire>(url(), 'POST', '/api/v1/cases', {
      token,
      json: caseBody([penaltyRecord(SHENZHEN, '深市监罚〔2026〕31号')]),
    });
    expect(filed.status).toBe(201);
    const d = filed.body.delegations[0]!;
    await eventually(async () => sim.platform.applications.has(d.id), 'platform has it');
    await api(sim.url, 'POST', `/admin/sq/${d.id}/zt`, { json: { zt: '02' } });
    // Delivery, then the polled statuses delivered and accepted, all under a checkpoint.
    const answers = await eventually(async () => {
      const c = await getCase(filed.body.id);
      const a = c.platformAnswers;
      return a.some((x) => x.status === 'accepted') && a.every((x) => x.verified) ? a : undefined;
    }, 'accepted, every answer verified');

    const { page, errors } = await openPage(browser());
    await page.goto(`${url()}/ui/#token=${token}`);
    await page.evaluate((id) => (location.hash = `#/cases/${id}`), filed.body.id);
    await page.getByRole('heading', { name: COMPANY }).waitFor();
    await page.getByRole('heading', { name: '城市平台答复' }).waitFor();
    const rows = page.locator('table.platform-answers tbody tr');
    await expect(rows.count()).resolves.toBe(answers.length);
    for (const [i, a] of answers.entries()) {
      const row = rows.nth(i);
      await expect(row.locator('[data-city]').textContent()).resolves.toBe('深圳市');
      await expect(row.locator('[data-operation]').getAttribute('data-operation')).resolves.toBe(
        a.operation,
      );
      await expect(row.locator('[data-index]').getAttribute('data-index')).resolves.toBe(
        String(a.ledgerIndex),
      );
      await expect(row.locator('.badge.verified').textContent()).resolves.toBe('✓ 账本收录已验证');
    }
    const deliver = rows.filter({ has: page.locator('[data-operation="deliver"]') });
    await expect(deliver.locator('[data-operation]').textContent()).resolves.toBe('递交委托');
    await expect(deliver.locator('td').nth(3).textContent()).resolves.toBe(
      String(answers.find((a) => a.operation === 'deliver')!.httpStatus),
    );
    const accepted = rows.filter({ has: page.locator('.badge.st-accepted') });
    await expect(accepted.locator('[data-operation]').textContent()).resolves.toBe('状态查询');
    await screenshot(page, 'case-platform-answers', true);

    // English labels for the same rows.
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'City platform answers' }).waitFor();
    await expect(deliver.locator('[data-operation]').textContent()).resolves.toBe('Delivery');
    expect(errors).toEqual([]);
  });

  it('shows no platform section for a case whose cities all run Tongban', async () => {
    const filed = await api<CaseWire>(url(), 'POST', '/api/v1/cases', {
      token,
      json: caseBody([penaltyRecord(HARBIN, '哈市监罚〔2026〕7号')], {
        company: { uscc: '91350100M000100Y43', name: '另一家公司' },
      }),
    });
    expect(filed.status).toBe(201);
    await eventually(
      async () => (await getCase(filed.body.id)).delegations[0]!.status === 'delivered',
      'delivered to Harbin itself',
    );
    expect((await getCase(filed.body.id)).platformAnswers).toEqual([]);
    const { page, errors } = await openPage(browser());
    await page.goto(`${url()}/ui/#token=${token}`);
    await page.evaluate((id) => (location.hash = `#/cases/${id}`), filed.body.id);
    await page.getByRole('heading', { name: '另一家公司' }).waitFor();
    await page.locator('ol.timeline li').first().waitFor();
    await expect(page.getByRole('heading', { name: '城市平台答复' }).count()).resolves.toBe(0);
    await expect(page.locator('table.platform-answers').count()).resolves.toBe(0);
    expect(errors).toEqual([]);
  });
});
