/**
 * Shared test data: a penalty record as a company files it, and a case around records. Values
 * sit inside the current rules window (eligible on the 2026-11-20 request date) unless a test
 * overrides them.
 */
const AUTHORITY: Record<string, { authority: string; sector: string; issuingDivision?: string }> = {
  '230100': { authority: '哈尔滨市市场监督管理局', sector: 'market_supervision' },
  '330100': { authority: '杭州市交通运输局', sector: 'transport' },
  '530100': { authority: '昆明市市场监督管理局', sector: 'market_supervision' },
  '440300': {
    authority: '深圳市市场监督管理局',
    sector: 'market_supervision',
    issuingDivision: '440304',
  },
};

export const DEMO_USCC = '91350100M000100Y43';
export const DEMO_COMPANY = '示例物流有限公司';

export function penaltyRecord(
  city: string,
  decisionNo: string,
  over: Record<string, unknown> = {},
) {
  const a = AUTHORITY[city];
  if (!a) throw new Error(`no test authority for city ${city}`);
  return {
    issuingCity: city,
    ...a,
    decisionNo,
    decisionDate: '2026-05-10',
    publicityStartDate: '2026-05-15',
    measures: [{ type: 'fine' }],
    severity: 'ordinary',
    fineCny: 5000,
    finePaidDate: '2026-05-30',
    otherObligationsFulfilled: true,
    ...over,
  };
}

export function caseBody(records: unknown[], over: Record<string, unknown> = {}) {
  return {
    company: { uscc: DEMO_USCC, name: DEMO_COMPANY },
    applicant: { name: '张三', role: 'agent', idNumber: '110101199003074514' },
    materials: [{ kind: 'commitment_letter', fileName: 'commitment.pdf', sha256: 'a'.repeat(64) }],
    records,
    requestDate: '2026-11-20',
    ...over,
  };
}
