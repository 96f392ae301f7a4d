/**
 * Routing: only a federation member can receive the delegation. Membership is by city (a
 * district maps to its city), never by province prefix (DOMAIN.md, Identifiers).
 */
import { cityOfDivision } from '../division';
import type { RecordContext, Verdict } from './context';

export const ROUTING_RULE_ID = 'routing.member-city';

export function checkRoutable(ctx: RecordContext): Verdict | undefined {
  if (ctx.routeCity !== null) return undefined;
  const city = cityOfDivision(ctx.record.issuingCity);
  return {
    outcome: 'not_routable',
    eligibleFrom: null,
    ruleId: ROUTING_RULE_ID,
    reason: `The penalising city ${city} is not a federation member; apply to its authority directly.`,
    reasonZh: `作出处罚决定的城市（${city}）不是通办成员城市，请直接向该决定机关申请。`,
  };
}
