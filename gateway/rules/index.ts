/** Credit-repair rules: identifiers, divisions, versioned rule sets and the eligibility pre-check. */
export { assertUscc } from './assert-uscc';
export { addMonthsClamped, dayAfterPeriod, periodLastDay } from './dates';
export { decisionKey, normaliseAuthority, normaliseDecisionNo } from './decision-number';
export { cityOfDivision, isDivisionCode, isMemberCity, MUNICIPALITY_PREFIXES } from './division';
export { assessRecords } from './eligibility/assess-records';
export { MAX_RECORDS } from './eligibility/parse-input';
export { fineOwed, openObligations, type ObligationGap } from './eligibility/obligations';
export { parseRuleSet } from './parse-rule-set';
export type { RuleSet, SectorBar, TierPeriods } from './rule-set';
export { RULE_SETS, RULES_VERSIONS } from './rule-sets';
export { selectRuleSet } from './select-rule-set';
export { measureTier, moreSevere, recordTier, TIER_LABEL_EN, TIER_LABEL_ZH } from './tiers';
export {
  MEASURE_TYPES,
  OUTCOMES,
  SECTORS,
  TIERS,
  type AssessInput,
  type AssessOutput,
  type Measure,
  type MeasureType,
  type Outcome,
  type PenaltyRecord,
  type RecordAssessment,
  type Sector,
  type Severity,
  type Tier,
} from './types';
export {
  USCC_CHARSET,
  USCC_LENGTH,
  usccCheckCharacter,
  validateUscc,
  type UsccFailure,
  type UsccResult,
} from './uscc';
