import { migrate, type Store } from '../../../gateway/store';
import { refreshCaseStatus, refreshCaseStatuses } from '../../../gateway/cases/case-updates';
import { dropSchema, freshPgStore } from '../../support/db';

/**
 * A batch of receipts touches one case per delegation: their derived statuses are refreshed by
 * set (two statements), with the same outcome as one case at a time.
 */
describe('refreshing derived case statuses (PostgreSQL)', () => {
  let store: Store & { schema: string };
  const at = '2026-11-22T12:00:00.000Z';

  beforeAll(async () => {
    store = await freshPgStore();
    await migrate(store);
  });
  afterAll(async () => {
    await store.close();
    await dropSchema(store.schema);
  });

  async function caseWith(id: string, statuses: string[]) {
    await store.query(
      `INSERT INTO cases (id, uscc, company_name, registration_city, status, applicant, materials, rules_version, request_date)
       VALUES ($1, '91350100M000100Y43', '示例物流有限公司', '230100', 'open', '{}', '[]', 'cn-2026-04', '2026-11-01')`,
      [id],
    );
    for (const [k, s] of statuses.entries())
      await store.query(
        `INSERT INTO delegations (id, case_id, penalising_city, status, record_count) VALUES ($1, $2, '330100', $3, 1)`,
        [`${id}-d${k}`, id, s],
      );
  }
  const statusOf = async (id: string) =>
    (await store.query<{ status: string }>('SELECT status FROM cases WHERE id = $1', [id])).rows[0]
      ?.status;

  it('derives each case from its own delegations, whatever order and repetition they come in', async () => {
    await caseWith('c-open', ['delivered', 'submitted']);
    await caseWith('c-done', ['repaired', 'repaired']);
    await caseWith('c-partly', ['repaired', 'denied']);
    await caseWith('c-action', ['delivered', 'materials_requested']);
    await caseWith('c-none', []);
    await refreshCaseStatuses(
      store,
      ['c-partly', 'c-open', 'c-done', 'c-partly', 'c-action', 'c-none'],
      at,
    );
    expect(await statusOf('c-open')).toBe('open');
    expect(await statusOf('c-done')).toBe('completed');
    expect(await statusOf('c-partly')).toBe('partially_repaired');
    expect(await statusOf('c-action')).toBe('action_required');
    expect(await statusOf('c-none')).toBe('closed');
  });

  it('one case at a time gives the same as the set', async () => {
    await caseWith('c-single', ['repaired', 'withdrawn']);
    await refreshCaseStatus(store, 'c-single', at);
    const single = await statusOf('c-single');
    await store.query(`UPDATE cases SET status = 'open' WHERE id = 'c-single'`);
    await refreshCaseStatuses(store, ['c-single'], at);
    expect(await statusOf('c-single')).toBe(single);
    expect(single).not.toBe('open');
  });

  it('touches nothing for no cases', async () => {
    await expect(refreshCaseStatuses(store, [], at)).resolves.toBeUndefined();
  });
});
