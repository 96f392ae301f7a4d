/** Case bodies and SQL probes shared by the delivery and chaos tests. */

export const HARBIN = '230100';
export const HANGZHOU = '330100';
export const KUNMING = '530100';

/** A penalty record that is eligible for repair now (fine paid in May 2026, ordinary tier). */
export function record(city: string, decisionNo: string) {
  return {
    issuingCity: city,
    authority: city === HANGZHOU ? '杭州市交通运输局' : '昆明市市场监督管理局',
    sector: city === HANGZHOU ? 'transport' : 'market_supervision',
    decisionNo,
    decisionDate: '2026-05-10',
    publicityStartDate: '2026-05-15',
    measures: [{ type: 'fine' }],
    severity: 'ordinary',
    fineCny: 5000,
    finePaidDate: '2026-05-30',
    otherObligationsFulfilled: true,
  };
}

export function caseBody(records: unknown[], externalRef?: string) {
  return {
    company: { uscc: '91350100M000100Y43', name: '示例物流有限公司' },
    applicant: { name: '张三', role: 'agent' },
    materials: [{ kind: 'commitment_letter', fileName: 'commitment.pdf', sha256: 'a'.repeat(64) }],
    records,
    ...(externalRef ? { externalRef } : {}),
  };
}

export const decisionNo = (city: string, n: number) =>
  city === HANGZHOU ? `杭交执罚〔2026〕第${n}号` : `昆市监罚[2026]${n}号`;

type Decision = { action: string; reason?: string };
/** Hangzhou's next decision for a delegation in each status, on the way to repaired or denied. */
const PLANS: Record<'repair' | 'deny', Record<string, Decision>> = {
  repair: {
    delivered: { action: 'accept' },
    accepted: { action: 'start_review' },
    under_review: { action: 'approve' },
    approved: { action: 'mark_repaired' },
  },
  deny: {
    delivered: { action: 'accept' },
    accepted: { action: 'deny', reason: '存在未履行的义务' },
  },
};

/** Case i's plan: every fourth (i % 4 === 1) is denied, the others repaired. */
export const decisionPlan = (i: number): Record<string, Decision> =>
  PLANS[i % 4 === 1 ? 'deny' : 'repair'];
