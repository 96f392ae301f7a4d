import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { eventually, startFederation, type TestFederation } from '../support/federation';
import { caseBody, penaltyRecord } from '../support/fixtures';
import {
  anchoredClock,
  COMPANY,
  HANGZHOU,
  HARBIN,
  KUNMING,
  USCC,
  type CaseWire,
  pdf,
} from './dashboard-fixtures';
import { api } from '../support/http';
import { describeWithBrowser, openPage, screenshot, sharedBrowser } from './browser';

/**
 * The liaison dashboard (issue 8) in a real browser against real gateways: Harbin files, Hangzhou
 * and Kunming decide. Clocks are anchored on a fixed day so the penalty dates stay eligible
 * whenever the suite runs; the second federation's clock jumps past the decision due date.
 */

describeWithBrowser('liaison dashboard in Chromium', () => {
  const browser = sharedBrowser();

  describe('three gateways on PostgreSQL', () => {
    let fed: TestFederation;
    const clock = anchoredClock();
    const url = (c: string) => fed.gw[c]!.url;
    const pages: { page: Page; errors: string[] }[] = [];

    beforeAll(async () => {
      fed = await startFederation([HARBIN, HANGZHOU, KUNMING], { now: clock.now });
    }, 60_000);
    afterAll(async () => {
      await fed?.close();
    });
    afterEach(() => {
      // No uncaught script error on any page of the test.
      const errors = pages.splice(0).flatMap((p) => p.errors);
      expect(errors).toEqual([]);
    });

    async function tab(): Promise<Page> {
      const p = await openPage(browser());
      pages.push(p);
      return p.page;
    }
    /** Open a city's dashboard the way the sandbox links do: `/ui/#token=…`. */
    async function login(
      city: string,
      role: 'officer' | 'supervisor' | 'auditor' = 'officer',
      hash = '',
    ) {
      const page = await tab();
      await page.goto(`${url(city)}/ui/#token=${await fed.token(city, role)}`);
      if (hash) await page.evaluate((h) => (location.hash = h), hash);
      return page;
    }
    const decideByApi = (city: string, id: string, body: unknown, token: string) =>
      api(url(city), 'POST', `/api/v1/inbox/${id}/decision`, { token, json: body });

    it('logs in from #token, files a case in the form and follows it to 已修复 as the cities decide', async () => {
      const harbin = await login(HARBIN);
      await harbin.getByTestId('who').filter({ hasText: 'officer@230100 · 经办人' }).waitFor();
      expect(harbin.url()).not.toContain('token=');
      expect(harbin.url()).toMatch(/#\/cases$/);
      expect(await harbin.evaluate(() => sessionStorage.getItem('tongban.token'))).toMatch(/^ey/);
      await harbin.getByText('没有符合条件的案件。').waitFor();
      await screenshot(harbin, 'cases-empty');

      // File the case in the form: company, applicant, one material (hashed in the page), two records.
      await harbin.getByRole('link', { name: '办理申请' }).click();
      await harbin.getByRole('heading', { name: '办理信用修复申请' }).waitFor();
      await harbin.getByLabel('统一社会信用代码').fill(USCC);
      await harbin.getByLabel('企业名称').fill(COMPANY);
      await harbin.getByLabel('申请人姓名').fill('张三');
      await harbin.getByLabel('选择文件').setInputFiles(pdf('信用修复承诺书.pdf'));
      await harbin.waitForFunction(
        () =>
          (document.querySelector('input[name=sha256]') as HTMLInputElement).value.length === 64,
      );
      const fillRecord = async (n: number, city: string, no: string) => {
        const g = harbin.getByRole('group', { name: `处罚信息 ${n}` });
        const r = penaltyRecord(city, no);
        await g.getByLabel('处罚机关所在城市').selectOption(city);
        await g.getByLabel('处罚机关', { exact: true }).fill(r.authority);
        await g.getByLabel('领域').selectOption(r.sector);
        await g.getByLabel('决定书文号').fill(no);
        await g.getByLabel('处罚决定日期').fill(r.decisionDate);
        await g.getByLabel('公示起始日期').fill(r.publicityStartDate);
        await g.getByLabel('罚款金额').fill('5000');
        await g.getByLabel('罚款缴清日期').fill(r.finePaidDate);
        await g.getByLabel('其他法定义务已履行完毕').check();
      };
      await fillRecord(1, HANGZHOU, '杭交执罚〔2026〕第11号');
      await harbin.getByRole('button', { name: '添加一条处罚信息' }).click();
      await fillRecord(2, KUNMING, '昆市监罚[2026]511号');
      await harbin.getByRole('button', { name: '预检' }).click();
      await harbin.getByRole('heading', { name: /预检结果/ }).waitFor();
      expect(await harbin.locator('.oc-eligible_now').count()).toBe(2);
      await screenshot(harbin, 'file-case-form', true);
      await harbin.getByRole('button', { name: '提交申请' }).click();
      await harbin.getByRole('heading', { name: COMPANY }).waitFor();
      const caseId = decodeURIComponent(/#\/cases\/(.+)$/.exec(harbin.url())![1]!);
      const filed = (
        await api<CaseWire>(url(HARBIN), 'GET', `/api/v1/cases/${caseId}`, {
          token: await fed.token(HARBIN),
        })
      ).body;
      expect(filed.delegations.map((d) => d.penalisingCity).sort()).toEqual([HANGZHOU, KUNMING]);
      await harbin.locator('table.delegations tbody tr').nth(1).waitFor();

      // Hangzhou decides in its own dashboard's inbox, one form per decision.
      const hz = await login(HANGZHOU);
      await hz.getByRole('link', { name: '待办委托' }).click();
      await hz.getByRole('link', { name: COMPANY }).click();
      await hz.getByRole('heading', { name: '作出决定' }).waitFor();
      await hz.getByText(/剩余 \d+ 个工作日/).waitFor();
      const decide = async (action: string, status: string, shot: string) => {
        await hz.getByLabel(action, { exact: true }).check();
        await screenshot(hz, `inbox-decide-${shot}`);
        await hz.getByRole('button', { name: '提交决定' }).click();
        await hz.locator('.facts .badge', { hasText: status }).waitFor();
      };
      // The first decision by keyboard alone: Space picks the action, Tab reaches the reason (the
      // hidden fields are skipped) and the submit button, Enter submits.
      await hz.getByLabel('受理', { exact: true }).focus();
      await hz.keyboard.press('Space');
      await hz.keyboard.press('Tab');
      expect(await hz.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('reason');
      await hz.keyboard.press('Tab');
      await screenshot(hz, 'inbox-decide-accept');
      await hz.keyboard.press('Enter');
      await hz.locator('.facts .badge', { hasText: '已受理' }).waitFor();
      await decide('开始审核', '审核中', 'start-review');
      await decide('同意修复', '已同意修复', 'approve');
      await hz.getByLabel('标记已修复并同步', { exact: true }).check();
      expect(await hz.getByLabel('国家企业信用信息公示系统').isChecked()).toBe(true);
      await hz.getByRole('button', { name: '提交决定' }).click();
      await hz.locator('.facts .badge', { hasText: '已修复' }).waitFor();
      await hz.getByText('此委托当前无可作出的决定。').waitFor();

      // Kunming decides through the API.
      const km = filed.delegations.find((d) => d.penalisingCity === KUNMING)!;
      const kmToken = await fed.token(KUNMING);
      await eventually(
        async () =>
          (await api(url(KUNMING), 'GET', `/api/v1/inbox/${km.id}`, { token: kmToken })).body
            ?.status === 'delivered',
        'Kunming inbox',
      );
      for (const action of ['accept', 'start_review', 'approve']) {
        expect((await decideByApi(KUNMING, km.id, { action }, kmToken)).status).toBe(200);
      }
      expect((await decideByApi(KUNMING, km.id, { action: 'mark_repaired' }, kmToken)).status).toBe(
        200,
      );

      // Harbin's page, never reloaded, catches up by polling: the case and both delegations repaired.
      await harbin.locator('.facts .badge', { hasText: '已修复' }).waitFor({ timeout: 40_000 });
      await harbin.locator('table.delegations .badge', { hasText: '已修复' }).nth(1).waitFor();
      // Every signed message of the case, both directions, verified by the server (signature + inclusion).
      await eventually(
        async () =>
          (await harbin.locator('ol.timeline li.pending').count()) === 0 &&
          (await harbin.locator('ol.timeline li.ok').count()) >= 12,
        'timeline verified',
        20_000,
      );
      expect(
        await harbin.locator('ol.timeline li.ok .badge.verified').first().textContent(),
      ).toContain('签名与账本收录已验证');
      await screenshot(harbin, 'case-repaired', true);

      // The raw signed message on click, in a modal dialog that Esc closes.
      await harbin.getByRole('button', { name: '查看原始签名报文' }).first().click();
      const dialog = harbin.getByRole('dialog');
      await dialog.waitFor();
      const raw = JSON.parse((await dialog.getByTestId('raw-message').textContent()) ?? '{}');
      expect(Object.keys(raw).sort()).toEqual(['payload', 'protected', 'signature']);
      await screenshot(harbin, 'raw-message');
      await harbin.keyboard.press('Escape');
      await dialog.waitFor({ state: 'detached' });

      // The list shows it, with counts per status and the search.
      await harbin.getByRole('link', { name: '案件', exact: true }).click();
      await harbin.locator('a.count[data-status=completed]', { hasText: '1' }).waitFor();
      await harbin.getByLabel('搜索').fill('物流');
      await harbin.getByRole('button', { name: '查询' }).click();
      await harbin.getByRole('link', { name: COMPANY }).waitFor();
      await screenshot(harbin, 'cases-list');

      // The ledger page: both peers' ledgers witnessed consistent (from their receipts'
      // checkpoints), and how each member city is reached, in words.
      await harbin.getByRole('link', { name: '账本' }).click();
      const witnesses = harbin.locator('table', { has: harbin.getByText('见证规模') });
      await witnesses.locator('tbody tr').nth(1).waitFor();
      expect(await witnesses.locator('tbody tr .badge').allTextContents()).toEqual([
        '一致',
        '一致',
      ]);
      const cityRow = (id: string) => harbin.locator('tr', { hasText: ` ${id}` });
      await expect(cityRow(HANGZHOU).locator('td').nth(2).textContent()).resolves.toBe('人工办理');
      await expect(cityRow('440100').locator('td').nth(2).textContent()).resolves.toBe(
        '平台接口对接',
      );
      await screenshot(harbin, 'ledger');
    }, 60_000);

    it('refuses what a role or a city may not see: not-permitted states and 403 problems', async () => {
      const hrbToken = await fed.token(HARBIN);
      const filed = await api<CaseWire>(url(HARBIN), 'POST', '/api/v1/cases', {
        token: hrbToken,
        json: caseBody([penaltyRecord(HANGZHOU, '杭交执罚〔2026〕第12号')]),
      });
      expect(filed.status).toBe(201);
      const d = filed.body.delegations[0]!;
      const auditorToken = await fed.token(HANGZHOU, 'auditor');
      await eventually(
        async () =>
          (await api(url(HANGZHOU), 'GET', `/api/v1/inbox/${d.id}`, { token: auditorToken })).body
            ?.status === 'delivered',
        'delivered',
      );

      // Hangzhou's auditor sees the item but no decision form, and cannot file a case.
      const auditor = await login(HANGZHOU, 'auditor', `#/inbox/${d.id}`);
      await auditor.getByRole('heading', { name: COMPANY }).waitFor();
      await auditor.getByText('当前角色（审计员）只能查看，无权作出决定。').waitFor();
      expect(await auditor.getByRole('button', { name: '提交决定' }).count()).toBe(0);
      expect(await auditor.getByRole('link', { name: '办理申请' }).count()).toBe(0);
      await screenshot(auditor, 'inbox-auditor-read-only');
      await auditor.evaluate(() => (location.hash = '#/new'));
      await auditor.getByRole('heading', { name: '无权访问' }).waitFor();
      expect(await auditor.locator('[data-state=not-permitted]').textContent()).toContain(
        'may not cases write',
      );
      // …and the API says the same.
      const byAuditor = await decideByApi(HANGZHOU, d.id, { action: 'accept' }, auditorToken);
      expect(byAuditor.status).toBe(403);
      expect(byAuditor.body.code).toBe('forbidden');

      // A Harbin token on Hangzhou's dashboard: not permitted, with the server's detail.
      const wrongCity = await tab();
      await wrongCity.goto(`${url(HANGZHOU)}/ui/#token=${hrbToken}`);
      await wrongCity.getByRole('heading', { name: '无权访问' }).waitFor();
      await wrongCity.getByText('This token is for city 230100, not 330100').waitFor();
      expect(wrongCity.url()).not.toContain('token=');
      await screenshot(wrongCity, 'not-permitted-other-city');
      const crossCity = await api(url(HANGZHOU), 'GET', `/api/v1/inbox/${d.id}`, {
        token: hrbToken,
      });
      expect(crossCity.status).toBe(403);
      expect(String(crossCity.headers['content-type'])).toContain('application/problem+json');
      expect(crossCity.body).toMatchObject({ code: 'forbidden', status: 403 });
      // Switching the token from the not-permitted state leads to the login form.
      await wrongCity.getByRole('button', { name: '更换令牌' }).click();
      await wrongCity.getByLabel('访问令牌').fill(await fed.token(HANGZHOU));
      await wrongCity.getByRole('button', { name: '登录', exact: true }).click();
      await wrongCity.getByTestId('who').filter({ hasText: 'officer@330100' }).waitFor();

      // Export is for roles that may export: not for an officer, yes for a supervisor.
      const officer = await login(HARBIN);
      await officer.getByRole('link', { name: COMPANY }).first().waitFor();
      expect(await officer.getByRole('button', { name: '导出 CSV' }).count()).toBe(0);
      const supervisor = await login(HARBIN, 'supervisor');
      await supervisor.getByRole('link', { name: COMPANY }).first().waitFor();
      const [download] = await Promise.all([
        supervisor.waitForEvent('download'),
        supervisor.getByRole('button', { name: '导出 CSV' }).click(),
      ]);
      expect(download.suggestedFilename()).toBe(`tongban-cases-${HARBIN}.csv`);
      const csv = await readFile((await download.path())!, 'utf8');
      expect(csv).toContain(USCC);

      // Bad input shows the problem's detail next to the form.
      await supervisor.getByRole('link', { name: '办理申请' }).click();
      await supervisor.getByLabel('统一社会信用代码').fill('not-a-uscc');
      await supervisor.getByRole('button', { name: '提交申请' }).click();
      await supervisor.locator('.problem[role=alert]').waitFor();
      expect(await supervisor.getByLabel('统一社会信用代码').getAttribute('aria-invalid')).toBe(
        'true',
      );

      // English switch: every label comes from the dictionary.
      await supervisor.getByRole('button', { name: 'English' }).click();
      await supervisor.getByRole('heading', { name: 'File a credit repair case' }).waitFor();
      await supervisor.getByRole('link', { name: 'Cases', exact: true }).click();
      await supervisor.getByRole('button', { name: 'Export CSV' }).waitFor();
      expect(await supervisor.evaluate(() => document.documentElement.lang)).toBe('en');
      await screenshot(supervisor, 'cases-list-en');
    }, 45_000);
  });
});
