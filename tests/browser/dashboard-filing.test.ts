import type { Page } from 'playwright-core';
import { DEMO_PENALTIES, seedDemoPenalties } from '../../gateway/sandbox/demo-data';
import { eventually, startFederation, type TestFederation } from '../support/federation';
import { caseBody, penaltyRecord } from '../support/fixtures';
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
  pdf,
} from './dashboard-fixtures';

const TIANJIN = '120000'; // a member city not started here: its answer is an error

/**
 * Filing and supplying materials in the dashboard: the filing form's penalty lookup (Harbin
 * asks every member city for the company's records — Hangzhou and Kunming hold one each,
 * Tianjin is unreachable — and files the two it is given, as the cities sent them, without
 * typing a record in), several materials in one filing, and several files supplied at once
 * when a penalising city asks for materials.
 */
describeWithBrowser('liaison dashboard in Chromium: filing with lookup and materials', () => {
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

  /** Company, applicant and one material hashed in the page (plus `more`), then 提交申请. */
  async function completeAndFile(page: Page, more: () => Promise<void> = async () => undefined) {
    await page.getByLabel('企业名称').fill(COMPANY);
    await page.getByLabel('申请人姓名').fill('张三');
    await page.getByLabel('选择文件').setInputFiles(pdf('信用修复承诺书.pdf'));
    await page.waitForFunction(
      () => (document.querySelector('input[name=sha256]') as HTMLInputElement).value.length === 64,
    );
    await more();
    await page.getByRole('button', { name: '提交申请' }).click();
    await page.getByRole('heading', { name: COMPANY }).waitFor();
    const caseId = decodeURIComponent(/#\/cases\/(.+)$/.exec(page.url())![1]!);
    return (
      await api<CaseWire & { records: { record: unknown }[]; materials: unknown[] }>(
        url(HARBIN),
        'GET',
        `/api/v1/cases/${caseId}`,
        { token: await fed.token(HARBIN) },
      )
    ).body;
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

    const filed = await completeAndFile(page, async () => {
      // A second material, typed in as name and digest; it suggests a kind not chosen yet.
      await page.getByRole('button', { name: '添加一份材料' }).click();
      const second = page.getByRole('group', { name: '材料 2' });
      await expect(second.getByLabel('材料类型').inputValue()).resolves.toBe('application_form');
      await second.getByLabel('文件名').fill('申请表.pdf');
      await second.getByLabel('SHA-256 摘要').fill('c'.repeat(64));
    });
    // Exactly what the cities hold, including what the form has no field for (Hangzhou's
    // issuing district, Kunming's second measure).
    expect(filed.records.map((r) => r.record)).toEqual([held(HANGZHOU), held(KUNMING)]);
    expect(filed.materials).toEqual([
      expect.objectContaining({ kind: 'commitment_letter', fileName: '信用修复承诺书.pdf' }),
      { kind: 'application_form', fileName: '申请表.pdf', sha256: 'c'.repeat(64) },
    ]);
    expect(filed.delegations.map((d) => d.penalisingCity).sort()).toEqual([HANGZHOU, KUNMING]);
    expect(errors).toEqual([]);
  });

  it('forgets what the form does not show once the officer makes it another record', async () => {
    const { page, errors } = await filingForm();
    await page.getByLabel('统一社会信用代码').fill(USCC);
    await page.getByRole('button', { name: '查询各城市处罚信息' }).click();
    const kunming = page.locator(`.lookup-results > li[data-city="${KUNMING}"]`);
    await kunming.getByRole('button', { name: '填入申请' }).click();
    // Kunming's record has two measures; the form shows the first. Another decision number is
    // another record: it is filed with what the form shows, not with Kunming's second measure.
    const row = page.getByRole('group', { name: '处罚信息 1' });
    await row.getByLabel('决定书文号').fill('昆市监罚[2026]999号');
    const filed = await completeAndFile(page);
    expect(filed.records.map((r) => r.record)).toEqual([
      { ...held(KUNMING), decisionNo: '昆市监罚[2026]999号', measures: [{ type: 'fine' }] },
    ]);
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

  it('marks the field of the material the server refused, in the row it came from', async () => {
    const { page, errors } = await filingForm();
    await page.getByRole('button', { name: '添加一份材料' }).click();
    await page.getByRole('button', { name: '添加一份材料' }).click();
    const row = (n: number) => page.getByRole('group', { name: `材料 ${n}` });
    for (const n of [1, 2, 3]) {
      await row(n).getByLabel('文件名').fill(`m${n}.pdf`);
      await row(n)
        .getByLabel('SHA-256 摘要')
        .fill(n === 3 ? 'not-a-digest' : 'd'.repeat(64));
    }
    // Removing the first renumbers the rest: the bad one is now /materials/1.
    await page.getByRole('button', { name: '删除材料 1' }).click();
    await expect(page.getByRole('group', { name: '材料 3' }).count()).resolves.toBe(0);
    await page.getByRole('button', { name: '提交申请' }).click();
    await page.locator('.problem').first().waitFor();
    const bad = row(2).getByLabel('SHA-256 摘要');
    await expect(bad.inputValue()).resolves.toBe('not-a-digest');
    await expect(bad.getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(
      row(1).getByLabel('SHA-256 摘要').getAttribute('aria-invalid'),
    ).resolves.toBeNull();
    expect(errors).toEqual([]);
  });

  it('supplies several files at once when a penalising city asks for materials', async () => {
    const token = await fed.token(HARBIN);
    const hz = await fed.token(HANGZHOU);
    const filed = await api<CaseWire>(url(HARBIN), 'POST', '/api/v1/cases', {
      token,
      json: caseBody([penaltyRecord(HANGZHOU, '杭交执罚〔2026〕第41号')]),
    });
    expect(filed.status).toBe(201);
    const d = filed.body.delegations[0]!;
    const item = (path = '') =>
      api<{ materials: { fileName: string }[] }>(
        url(HANGZHOU),
        'GET',
        `/api/v1/inbox/${d.id}${path}`,
        { token: hz },
      );
    await eventually(async () => (await item()).status === 200, 'in Hangzhou inbox');
    const decide = (json: unknown) =>
      api(url(HANGZHOU), 'POST', `/api/v1/inbox/${d.id}/decision`, { token: hz, json });
    expect((await decide({ action: 'accept' })).status).toBe(200);
    const asked = await decide({
      action: 'request_materials',
      materialsRequested: ['缴款凭证', '整改报告'],
    });
    expect(asked.status).toBe(200);

    const { page, errors } = await openPage(browser());
    await page.goto(`${url(HARBIN)}/ui/#token=${token}`);
    await page.evaluate((id) => (location.hash = `#/cases/${id}`), filed.body.id);
    const group = page.getByRole('group', { name: '补正材料：杭州市' });
    await group.waitFor();
    const form = page.locator('form', { has: group });
    await form.getByLabel('选择文件').setInputFiles(pdf('缴款凭证.pdf'));
    await form.getByRole('button', { name: '添加一份材料' }).click();
    const second = form.getByRole('group', { name: '材料 2' });
    await second.getByLabel('材料类型').selectOption('rectification_evidence');
    await second.getByLabel('选择文件').setInputFiles(pdf('整改报告.pdf'));
    await page.waitForFunction(
      () =>
        Array.from(document.querySelectorAll<HTMLInputElement>('form input[name=sha256]')).filter(
          (i) => i.value.length === 64,
        ).length === 2,
    );
    await screenshot(page, 'case-supply-materials', true);
    await form.getByRole('button', { name: '提交补正材料' }).click();

    // Both files reach Hangzhou's inbox item, with the kinds chosen.
    const got = await eventually(async () => {
      const m = (await item()).body.materials;
      return m.some((x) => x.fileName === '整改报告.pdf') ? m : undefined;
    }, 'both files at Hangzhou');
    expect(got).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'fulfilment_proof', fileName: '缴款凭证.pdf' }),
        expect.objectContaining({ kind: 'rectification_evidence', fileName: '整改报告.pdf' }),
      ]),
    );
    expect(errors).toEqual([]);
  });
});
