import type { Page } from 'playwright-core';
import { DEMO_PENALTIES, seedDemoPenalties } from '../../gateway/sandbox/demo-data';
import { startFederation, type TestFederation } from '../support/federation';
import { api } from '../support/http';
import { describeWithBrowser, openPage, screenshot, sharedBrowser } from './browser';
import {
  anchoredClock,
  COMPANY,
  HANGZHOU,
  HARBIN,
  KUNMING,
  USCC,
  type CaseWire,
} from './dashboard-fixtures';

const TIANJIN = '120000'; // a member city not started here: its answer is an error

/**
 * The filing form's penalty lookup: Harbin asks every member city for the company's records
 * (Hangzhou and Kunming hold one each, Tianjin is unreachable) and files the two it is given,
 * as the cities sent them, without typing a record in.
 */
describeWithBrowser('liaison dashboard in Chromium: penalty lookup in the filing form', () => {
  const browser = sharedBrowser();
  let fed: TestFederation;
  const clock = anchoredClock();
  const url = (c: string) => fed.gw[c]!.url;
  const held = (city: string) => DEMO_PENALTIES[city]!.filter((p) => p.uscc === USCC)[0]!.record;

  beforeAll(async () => {
    fed = await startFederation([HARBIN, HANGZHOU, KUNMING], { now: clock.now });
    await seedDemoPenalties(fed.gw[HANGZHOU]!.gw.store, HANGZHOU);
    await seedDemoPenalties(fed.gw[KUNMING]!.gw.store, KUNMING);
  }, 60_000);
  afterAll(async () => {
    await fed?.close();
  });

  async function filingForm(): Promise<{ page: Page; errors: string[] }> {
    const opened = await openPage(browser());
    const token = await fed.token(HARBIN);
    await opened.page.goto(`${url(HARBIN)}/ui/#token=${token}`);
    await opened.page.getByRole('link', { name: '办理申请' }).click();
    await opened.page.getByRole('heading', { name: '办理信用修复申请' }).waitFor();
    return opened;
  }

  it("fills records from the cities' answers and files them as the cities sent them", async () => {
    const { page, errors } = await filingForm();
    await page.getByLabel('统一社会信用代码').fill(USCC);
    await page.getByRole('button', { name: '查询各城市处罚信息' }).click();
    const city = (id: string) => page.locator(`.lookup-results > li[data-city="${id}"]`);
    await city(HANGZHOU).locator('.badge.lk-ok', { hasText: '已答复' }).waitFor();
    await expect(city(HANGZHOU).textContent()).resolves.toContain('1 条处罚信息');
    await expect(city(HARBIN).textContent()).resolves.toContain('无处罚信息');
    await city(TIANJIN).locator('.badge.lk-error', { hasText: '查询出错' }).waitFor();

    // Hangzhou's record into the blank first fieldset, Kunming's into a new second one.
    await city(HANGZHOU).getByRole('button', { name: '填入申请' }).click();
    await city(KUNMING).getByRole('button', { name: '填入申请' }).click();
    await expect(city(KUNMING).getByRole('button', { name: '已填入' }).isDisabled()).resolves.toBe(
      true,
    );
    const group = (n: number) => page.getByRole('group', { name: `处罚信息 ${n}` });
    await expect(group(1).getByLabel('决定书文号').inputValue()).resolves.toBe(
      held(HANGZHOU).decisionNo,
    );
    await expect(group(2).getByLabel('处罚机关所在城市').inputValue()).resolves.toBe(KUNMING);
    await expect(group(2).getByLabel('罚款金额').inputValue()).resolves.toBe(
      String(held(KUNMING).fineCny),
    );
    await expect(group(2).getByLabel('其他法定义务已履行完毕').isChecked()).resolves.toBe(true);
    await screenshot(page, 'file-case-lookup', true);

    await page.getByLabel('企业名称').fill(COMPANY);
    await page.getByLabel('申请人姓名').fill('张三');
    await page.getByLabel('选择文件').setInputFiles({
      name: '信用修复承诺书.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from('%PDF-1.4 承诺书'),
    });
    await page.waitForFunction(
      () => (document.querySelector('input[name=sha256]') as HTMLInputElement).value.length === 64,
    );
    await page.getByRole('button', { name: '提交申请' }).click();
    await page.getByRole('heading', { name: COMPANY }).waitFor();
    const caseId = decodeURIComponent(/#\/cases\/(.+)$/.exec(page.url())![1]!);
    const filed = (
      await api<CaseWire & { records: { record: unknown }[] }>(
        url(HARBIN),
        'GET',
        `/api/v1/cases/${caseId}`,
        { token: await fed.token(HARBIN) },
      )
    ).body;
    // Exactly what the cities hold, including what the form has no field for (Hangzhou's
    // issuing district, Kunming's second measure).
    expect(filed.records.map((r) => r.record)).toEqual([held(HANGZHOU), held(KUNMING)]);
    expect(filed.delegations.map((d) => d.penalisingCity).sort()).toEqual([HANGZHOU, KUNMING]);
    expect(errors).toEqual([]);
  });

  it('shows the problem, naming the field, when the code is not a valid USCC', async () => {
    const { page, errors } = await filingForm();
    await page.getByLabel('统一社会信用代码').fill('91350211M00013FA1N');
    await page.getByRole('button', { name: '查询各城市处罚信息' }).click();
    const problem = page.locator('.lookup .problem');
    await problem.waitFor();
    await expect(problem.textContent()).resolves.toMatch(/uscc/i);
    await expect(page.locator('.lookup-results').count()).resolves.toBe(0);
    expect(errors).toEqual([]);
  });
});
