import { eventually, startFederation, type TestFederation } from '../support/federation';
import { caseBody, penaltyRecord } from '../support/fixtures';
import { api } from '../support/http';
import { describeWithBrowser, openPage, screenshot, sharedBrowser } from './browser';
import {
  anchoredClock,
  COMPANY,
  DAY,
  HANGZHOU,
  HARBIN,
  KUNMING,
  type CaseWire,
} from './dashboard-fixtures';

/**
 * The liaison dashboard with an injected clock: overdue badges days after a decision's due
 * date, and a supervisor replaying a dead letter (issue 8).
 */
describeWithBrowser('liaison dashboard in Chromium: overdue and dead letters', () => {
  const browser = sharedBrowser();

  describe('overdue badges and dead letters (injected clock)', () => {
    let fed: TestFederation;
    // Kunming is a member city but not started here: its delegation cannot be delivered and, with a
    // 1 ms retry budget, becomes a dead letter at once.
    const clock = anchoredClock();
    const url = (c: string) => fed.gw[c]!.url;

    beforeAll(async () => {
      fed = await startFederation([HARBIN, HANGZHOU], {
        now: clock.now,
        delivery: { pollMs: 50, baseDelayMs: 50, maxDelayMs: 500, budgetMs: 1, timeoutMs: 1000 },
      });
    }, 60_000);
    afterAll(async () => {
      await fed?.close();
    });

    it('shows the overdue badge days after the due date, and lets a supervisor replay a dead letter', async () => {
      const token = await fed.token(HARBIN, 'supervisor');
      const filed = await api<CaseWire>(url(HARBIN), 'POST', '/api/v1/cases', {
        token,
        json: caseBody([
          penaltyRecord(HANGZHOU, '杭交执罚〔2026〕第21号'),
          penaltyRecord(KUNMING, '昆市监罚[2026]521号'),
        ]),
      });
      expect(filed.status).toBe(201);
      const hz = filed.body.delegations.find((d) => d.penalisingCity === HANGZHOU)!;
      await eventually(async () => {
        const c = (
          await api<CaseWire>(url(HARBIN), 'GET', `/api/v1/cases/${filed.body.id}`, { token })
        ).body;
        const st = Object.fromEntries(c.delegations.map((d) => [d.penalisingCity, d.status]));
        return st[HANGZHOU] === 'delivered' && st[KUNMING] === 'failed';
      }, 'Hangzhou delivered, Kunming dead');

      // Thirty days later (the decision was due in 3 working days), nobody has decided.
      clock.offsetMs = 30 * DAY;
      const { page, errors } = await openPage(browser());
      await page.goto(`${url(HARBIN)}/ui/#token=${token}`);
      await page.locator('table.cases .badge.overdue', { hasText: '已超期' }).waitFor();
      await page.getByLabel('超期').selectOption('true');
      await page.getByRole('button', { name: '查询' }).click();
      await page.waitForURL(/overdue=true/);
      await page.getByRole('link', { name: COMPANY }).click();
      const row = page.locator('table.delegations tr', {
        has: page.locator(`[data-city="${HANGZHOU}"]`),
      });
      await row.locator('.badge.overdue', { hasText: '已超期' }).waitFor();
      await page.locator('table.delegations .badge', { hasText: '投递失败' }).waitFor();
      await page.locator('.facts .badge', { hasText: '待处理' }).waitFor();
      await screenshot(page, 'case-overdue', true);

      // The dead letter, replayed by the supervisor.
      await page.getByRole('link', { name: '投递' }).click();
      const replay = page.getByRole('button', { name: /重新投递 #/ });
      await replay.first().waitFor();
      await page.locator('table.deliveries .badge', { hasText: '死信' }).first().waitFor();
      await screenshot(page, 'deliveries-dead');
      await replay.first().click();
      await page.getByRole('status').filter({ hasText: '已重新放入投递队列' }).waitFor();

      // Hangzhou's inbox shows the same overdue clock on the penalising side.
      const inbox = (
        await api(url(HANGZHOU), 'GET', `/api/v1/inbox/${hz.id}`, {
          token: await fed.token(HANGZHOU),
        })
      ).body;
      expect(inbox.sla).toMatchObject({ overdue: true });
      expect(errors).toEqual([]);
    }, 45_000);
  });
});
