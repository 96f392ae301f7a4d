import type { PenaltyRecordWire } from '../cases/types';
import { normaliseDecisionNo } from '../rules';
import type { Store } from '../store';

/**
 * Demo penalty records the sandbox's cities hold, so the federated lookup and the dashboard
 * have something to show. Companies: the GB 32100 example code and two more valid codes.
 */
export const DEMO_COMPANIES = [
  { uscc: '91350100M000100Y43', name: '示例物流有限公司 (Demo Logistics Co.)' },
  { uscc: '91230100MA1B2C3D49', name: '冰城运输有限公司 (Bingcheng Transport Co.)' },
];

const rec = (
  r: Omit<PenaltyRecordWire, 'otherObligationsFulfilled'> & { otherObligationsFulfilled?: boolean },
): PenaltyRecordWire => ({
  otherObligationsFulfilled: true,
  ...r,
});

export const DEMO_PENALTIES: Record<string, { uscc: string; record: PenaltyRecordWire }[]> = {
  '330100': [
    {
      uscc: '91350100M000100Y43',
      record: rec({
        issuingCity: '330100',
        issuingDivision: '330106',
        authority: '杭州市交通运输局',
        sector: 'transport',
        decisionNo: '杭交执罚〔2025〕第0815号',
        decisionDate: '2026-05-10',
        publicityStartDate: '2026-05-15',
        measures: [{ type: 'fine' }],
        severity: 'ordinary',
        fineCny: 5000,
        finePaidDate: '2026-05-30',
      }),
    },
  ],
  '530100': [
    {
      uscc: '91350100M000100Y43',
      record: rec({
        issuingCity: '530100',
        authority: '昆明市市场监督管理局',
        sector: 'market_supervision',
        decisionNo: '昆市监罚[2025]114号',
        decisionDate: '2026-03-02',
        publicityStartDate: '2026-03-09',
        measures: [{ type: 'fine' }, { type: 'warning' }],
        severity: 'ordinary',
        fineCny: 20000,
        finePaidDate: '2026-03-20',
      }),
    },
  ],
  '120000': [
    {
      uscc: '91230100MA1B2C3D49',
      record: rec({
        issuingCity: '120000',
        issuingDivision: '120101',
        authority: '天津市和平区城市管理综合执法局',
        sector: 'urban_management',
        decisionNo: '津和城管罚〔2026〕第12号',
        decisionDate: '2026-09-05',
        publicityStartDate: '2026-09-08',
        measures: [{ type: 'warning' }],
        severity: 'minor',
      }),
    },
  ],
};

/** Seed a city's demo records (idempotent). */
export async function seedDemoPenalties(store: Store, cityId: string): Promise<number> {
  const list = DEMO_PENALTIES[cityId] ?? [];
  for (const { uscc, record } of list) {
    await store.query(
      `INSERT INTO penalty_records (uscc, authority, decision_no_norm, record) VALUES ($1, $2, $3, $4)
       ON CONFLICT (authority, decision_no_norm) DO NOTHING`,
      [uscc, record.authority, normaliseDecisionNo(record.decisionNo), JSON.stringify(record)],
    );
  }
  return list.length;
}
