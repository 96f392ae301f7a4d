/** Builders for penalty records: a paid, ordinary market-supervision fine in Hangzhou. */
import type { AssessInput, PenaltyRecord } from '../../../gateway/rules';

/** The federation members listed in DOMAIN.md (Identifiers). */
export const FEDERATION = ['230100', '120000', '330100', '130100', '530100', '450100', '460100'];

export function penalty(overrides: Partial<PenaltyRecord> = {}): PenaltyRecord {
  return {
    ref: 'r1',
    issuingCity: '330100',
    authority: '杭州市市场监督管理局',
    sector: 'market_supervision',
    decisionNo: '杭市监罚〔2026〕12号',
    decisionDate: '2026-05-10',
    publicityStartDate: '2026-05-15',
    measures: [{ type: 'fine' }],
    severity: 'ordinary',
    fineCny: 5000,
    finePaidDate: '2026-05-20',
    otherObligationsFulfilled: true,
    ...overrides,
  };
}

export function request(
  records: PenaltyRecord[],
  requestDate = '2026-08-16',
  extra: Partial<AssessInput> = {},
): AssessInput {
  return { requestDate, members: FEDERATION, records, ...extra };
}
