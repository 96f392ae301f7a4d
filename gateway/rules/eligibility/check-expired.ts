/**
 * Expiry: once the maximum publicity period is over, publicity stops by itself, but only if
 * the obligations are fulfilled (DOMAIN.md, Publicity periods). With an unpaid fine the record
 * stays public, so it falls through to the later checks.
 */
import { TIER_LABEL_EN, TIER_LABEL_ZH } from '../tiers';
import type { RecordContext, Verdict } from './context';

export function checkExpired(ctx: RecordContext): Verdict | undefined {
  if (ctx.requestDate < ctx.maxPeriodOver || ctx.openObligations.length > 0) return undefined;
  const { tier, publicityEndsOn: ended } = ctx;
  const months = ctx.periods.maxMonths;
  return {
    outcome: 'auto_expired',
    eligibleFrom: null,
    ruleId: `period.${tier}.max`,
    reason:
      `${TIER_LABEL_EN[tier]}: the ${months}-month maximum publicity ended on ${ended} and the ` +
      'obligations are fulfilled, so publicity has stopped by itself; there is nothing to repair.',
    reasonZh:
      `${TIER_LABEL_ZH[tier]}失信信息最长公示期${months}个月已于${ended}届满，且已履行法定义务，` +
      '公示自动停止，无需申请信用修复。',
  };
}
