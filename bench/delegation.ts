import { randomUUID } from 'node:crypto';
import type { DelegationCreateBody } from '../gateway/cases/types';

/**
 * A realistic delegation.create body (one penalty record, one material), as intake builds it.
 * About 1 KB once signed.
 */
export function delegationBody(from: string, to: string, now: Date): DelegationCreateBody {
  return {
    delegationId: randomUUID(),
    caseId: randomUUID(),
    registrationCity: from,
    company: { uscc: '91350100M000100Y43', name: '示例物流有限公司' },
    applicant: { name: '张三', role: 'agent' },
    records: [
      {
        issuingCity: to,
        authority: '杭州市交通运输局',
        sector: 'transport',
        decisionNo: `杭交执罚〔2026〕第${Math.floor(Math.random() * 1e6)}号`,
        decisionDate: '2026-05-10',
        publicityStartDate: '2026-05-15',
        measures: [{ type: 'fine' }],
        severity: 'ordinary',
        fineCny: 5000,
        finePaidDate: '2026-05-30',
        otherObligationsFulfilled: true,
      },
    ] as DelegationCreateBody['records'],
    materials: [
      { kind: 'commitment_letter', fileName: 'commitment.pdf', sha256: 'a'.repeat(64) },
    ] as DelegationCreateBody['materials'],
    rulesVersion: 'cn-2026-04',
    submittedAt: now.toISOString(),
  };
}
