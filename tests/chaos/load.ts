/**
 * What the chaos test asks of Harbin's officers while processes die (delivery-chaos.test.ts):
 * file a case, withdraw one. Both are idempotent across lost answers: they look in Harbin's
 * database before trying again.
 */
import { api } from '../support/http';
import { caseBody, HANGZHOU, record } from './fixtures';
import { sleep } from './harness';
import type { Query } from './schedule';

/**
 * File case i (idempotent by externalRef: a filing whose answer was lost is not repeated);
 * returns its delegation's id.
 */
export async function fileCase(
  qa: Query,
  url: () => string,
  token: string,
  i: number,
): Promise<string> {
  const ref = `chaos-${i}`;
  for (let tries = 0; tries < 100; tries++) {
    const known = await qa(
      `SELECT d.id FROM cases c JOIN delegations d ON d.case_id = c.id WHERE c.external_ref = $1`,
      [ref],
    );
    if (known[0]) return known[0].id as string;
    try {
      const res = await api(url(), 'POST', '/api/v1/cases', {
        token,
        json: caseBody([record(HANGZHOU, `杭交执罚〔2026〕第${i}号`)], ref),
      });
      if (res.status === 201) return res.body.delegations[0].id as string;
      throw new Error(`filing ${ref}: ${res.status} ${res.text}`);
    } catch (e) {
      if (/filing/.test((e as Error).message)) throw e;
      await sleep(200); // the replica went away: look again, then retry
    }
  }
  throw new Error(`could not file ${ref}`);
}

/** The company withdraws case i's delegation at Harbin (done once the withdrawal is queued). */
export async function withdraw(
  qa: Query,
  url: () => string,
  token: string,
  i: number,
  delegationId: string,
): Promise<void> {
  const caseId = (await qa(`SELECT case_id FROM delegations WHERE id = $1`, [delegationId]))[0]!
    .case_id as string;
  for (let tries = 0; tries < 50; tries++) {
    try {
      const r = await api(url(), 'POST', `/api/v1/cases/${caseId}/withdrawal`, {
        token,
        json: { reason: `chaos ${i}` },
      });
      if (r.status === 200 || r.status === 409) return; // 409: already decided, nothing to withdraw
    } catch {
      /* the replica went away */
    }
    const queued = await qa(
      `SELECT 1 FROM outbox WHERE delegation_id = $1 AND type = 'delegation.withdrawal'`,
      [delegationId],
    );
    if (queued.length) return;
    await sleep(200);
  }
}
