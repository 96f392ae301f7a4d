/**
 * Everything the checks need about one record, computed once: tier, periods, routing and the
 * obligations still open on the request date. The checks themselves then stay tiny and pure.
 */
import { addDays } from '../../calendar/iso-date';
import { dayAfterPeriod, periodLastDay } from '../dates';
import { cityOfDivision } from '../division';
import type { RuleSet, TierPeriods } from '../rule-set';
import { recordTier } from '../tiers';
import type { Outcome, PenaltyRecord, Tier } from '../types';
import { openObligations, type ObligationGap } from './obligations';

export interface RecordContext {
  readonly record: PenaltyRecord;
  readonly rules: RuleSet;
  readonly requestDate: string;
  readonly tier: Tier;
  readonly periods: TierPeriods;
  /** The date the periods run from (publicity start or decision date, per rule set). */
  readonly periodStart: string;
  /** First day the minimum period allows repair. */
  readonly minPeriodOver: string;
  /** Last day of the maximum publicity period. */
  readonly publicityEndsOn: string;
  /** First day after the maximum period. */
  readonly maxPeriodOver: string;
  /** The penalising city when it is a federation member, else null. */
  readonly routeCity: string | null;
  readonly openObligations: readonly ObligationGap[];
}

/** What a check decides. `ruleId` is local to the rule set; the output prefixes the version. */
export interface Verdict {
  outcome: Outcome;
  eligibleFrom: string | null;
  ruleId: string;
  reason: string;
  reasonZh: string;
}

export function buildContext(
  record: PenaltyRecord,
  rules: RuleSet,
  requestDate: string,
  memberCities: ReadonlySet<string>,
): RecordContext {
  const tier = recordTier(record, rules);
  const periods = rules.tiers[tier];
  const periodStart = record[rules.periodStartsFrom];
  const publicityEndsOn = periodLastDay(periodStart, periods.maxMonths);
  const city = cityOfDivision(record.issuingCity);
  return {
    record,
    rules,
    requestDate,
    tier,
    periods,
    periodStart,
    minPeriodOver: dayAfterPeriod(periodStart, periods.minMonths),
    publicityEndsOn,
    maxPeriodOver: addDays(publicityEndsOn, 1),
    routeCity: memberCities.has(city) ? city : null,
    openObligations: openObligations(record, requestDate),
  };
}
