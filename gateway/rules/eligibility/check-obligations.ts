/**
 * Obligations: while one is open on the request date the record is not yet eligible, and no
 * date can be promised because it depends on the company (DOMAIN.md: "or none while an
 * obligation is unmet").
 */
import type { RecordContext, Verdict } from './context';
import { GAP_TEXT } from './obligations';

export const OBLIGATIONS_RULE_ID = 'obligations.fulfilled-on-request-date';

export function checkObligations(ctx: RecordContext): Verdict | undefined {
  if (ctx.openObligations.length === 0) return undefined;
  const en = ctx.openObligations.map((g) => GAP_TEXT[g].en).join('; ');
  const zh = ctx.openObligations.map((g) => GAP_TEXT[g].zh).join('；');
  return {
    outcome: 'not_yet_eligible',
    eligibleFrom: null,
    ruleId: OBLIGATIONS_RULE_ID,
    reason: `Obligations must be fulfilled in full on the request date ${ctx.requestDate}: ${en}.`,
    reasonZh: `申请日（${ctx.requestDate}）须已全面履行法定义务：${zh}。`,
  };
}
