import { caseBody, decisionNo, HANGZHOU, HARBIN, record } from '../chaos/fixtures';
import { observedPgStore } from '../support/db';
import { eventually, startFederation, type TestFederation } from '../support/federation';
import { api } from '../support/http';

/**
 * Storing a peer's receipts: the delegations they acknowledge are set delivered in the same
 * statement that logs the receipts (DeliveryEffects.deliveredWith, an UPDATE attached to the
 * ledger append), and their cases are refreshed after it, in the same transaction. Asserted on
 * the statements Harbin's store ran and on the rows.
 */
describe('receipt effects written with the receipts (PostgreSQL)', () => {
  let fed: TestFederation;
  let officer: string;
  const seen: string[] = [];

  beforeAll(async () => {
    const observed = await observedPgStore((sql) => seen.push(sql));
    fed = await startFederation([HARBIN, HANGZHOU], { stores: { [HARBIN]: observed } });
    officer = await fed.token(HARBIN);
  });
  afterAll(() => fed.close());

  it('sets the delegations delivered in the statement that logs their receipts, then the cases', async () => {
    const cases: string[] = [];
    for (let n = 1; n <= 3; n++) {
      const res = await api(fed.gw[HARBIN]!.url, 'POST', '/api/v1/cases', {
        token: officer,
        json: caseBody([record(HANGZHOU, decisionNo(HANGZHOU, 700 + n))]),
      });
      expect(res.status).toBe(201);
      cases.push(res.body.id as string);
    }
    const rows = () =>
      fed.gw[HARBIN]!.gw.store.query<{ status: string; case_status: string }>(
        `SELECT d.status, c.status AS case_status FROM delegations d JOIN cases c ON c.id = d.case_id
          WHERE d.case_id = ANY($1)`,
        [cases],
      );
    await eventually(
      async () => (await rows()).rows.every((r) => r.status === 'delivered'),
      'delegations delivered',
    );
    expect((await rows()).rows).toEqual(
      cases.map(() => ({ status: 'delivered', case_status: 'open' })),
    );
    const updates = seen.filter((s) => /UPDATE delegations d SET status = 'delivered'/.test(s));
    expect(updates.length).toBeGreaterThan(0);
    // every one rode with a ledger append (the receipts'), none went alone
    expect(updates.every((s) => s.trimStart().startsWith('WITH head AS'))).toBe(true);
    // the cases were refreshed after it, in the same transactions
    expect(seen.some((s) => /UPDATE cases c SET status = u.status/.test(s))).toBe(true);
  });
});
