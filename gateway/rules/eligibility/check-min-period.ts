/**
 * Minimum period, the last step: a calendar-day test on the first day after the tier's minimum
 * publicity (none for the minor tier). Reaching it means every earlier check passed.
 */
import { addDays } from '../../calendar/iso-date';
import { TIER_LABEL_EN, TIER_LABEL_ZH } from '../tiers';
import type { RecordContext, Verdict } from './context';

export function decideByMinPeriod(ctx: RecordContext): Verdict {
  const { tier, minPeriodOver: from, periodStart: start, requestDate } = ctx;
  const months = ctx.periods.minMonths;
  const [en, zh] = [TIER_LABEL_EN[tier], TIER_LABEL_ZH[tier]];
  const verdict = (outcome: Verdict['outcome'], reason: string, reasonZh: string): Verdict => ({
    outcome,
    eligibleFrom: from,
    ruleId: `period.${tier}.min`,
    reason,
    reasonZh,
  });
  if (months === 0) {
    return requestDate < from
      ? verdict(
          'not_yet_eligible',
          `${en}: no minimum publicity period, but the period only starts on ${from}.`,
          `${zh}失信信息无最短公示期，但公示期自${from}起算。`,
        )
      : verdict(
          'eligible_now',
          `${en}: no minimum publicity period, and the obligations are fulfilled: repair can be requested now.`,
          `${zh}失信信息无最短公示期，且已履行法定义务，可以申请信用修复。`,
        );
  }
  const lastDay = addDays(from, -1);
  return requestDate < from
    ? verdict(
        'not_yet_eligible',
        `${en}: publicity lasts at least ${months} months from ${start} (to ${lastDay}); repair can be requested from ${from}.`,
        `${zh}失信信息自${start}起最短公示${months}个月（至${lastDay}），自${from}起可以申请信用修复。`,
      )
    : verdict(
        'eligible_now',
        `${en}: the ${months}-month minimum publicity ended on ${lastDay} and the obligations are fulfilled: repair can be requested now.`,
        `${zh}失信信息最短公示期${months}个月已于${lastDay}届满，且已履行法定义务，可以申请信用修复。`,
      );
}
