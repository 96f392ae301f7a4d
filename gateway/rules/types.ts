/**
 * Vocabulary of the credit-repair rules (DOMAIN.md). The lists are the single source for the
 * enum checks in the input parser and the rule-set loader.
 */

export const SECTORS = [
  'market_supervision',
  'transport',
  'fire',
  'environment',
  'tax',
  'emergency_management',
  'urban_management',
  'other',
] as const;
export type Sector = (typeof SECTORS)[number];

export const MEASURE_TYPES = [
  'fine',
  'warning',
  'public_criticism',
  'confiscation',
  'licence_suspension',
  'licence_revocation',
  'business_suspension',
  'business_restriction',
  'occupational_ban',
  'closure',
  'other',
] as const;
export type MeasureType = (typeof MEASURE_TYPES)[number];

/** Ordered from least to most severe: the index is the severity rank. */
export const TIERS = ['minor', 'ordinary', 'serious'] as const;
export type Tier = (typeof TIERS)[number];
/** A record's or measure's severity uses the same three grades as the publicity tiers. */
export type Severity = Tier;

export const OUTCOMES = [
  'eligible_now',
  'not_yet_eligible',
  'auto_expired',
  'not_repairable',
  'not_routable',
] as const;
export type Outcome = (typeof OUTCOMES)[number];

export interface Measure {
  type: MeasureType;
  severity?: Severity;
}

/** One administrative-penalty record as submitted for the pre-check. */
export interface PenaltyRecord {
  ref?: string;
  /** GB/T 2260 code of the penalising city; a district code is accepted and mapped up. */
  issuingCity: string;
  issuingDivision?: string;
  authority: string;
  sector: Sector;
  decisionNo: string;
  decisionDate: string;
  publicityStartDate: string;
  measures: Measure[];
  severity: Severity;
  fineCny?: number;
  /** null or absent: unpaid (when a fine is owed). */
  finePaidDate?: string | null;
  otherObligationsFulfilled: boolean;
}

export interface AssessInput {
  /** Defaults to today in Asia/Shanghai. */
  requestDate?: string;
  /** Federation member cities (GB/T 2260 city codes). */
  members: string[];
  /** Defaults to the newest rule set in force on requestDate. */
  rulesVersion?: string;
  records: PenaltyRecord[];
}

export interface RecordAssessment {
  ref?: string;
  outcome: Outcome;
  /** First day the minimum period allows repair; null while barred or an obligation is unmet. */
  eligibleFrom: string | null;
  /** Last day of the maximum publicity period. */
  publicityEndsOn: string;
  tier: Tier;
  /** `<rulesVersion>/<rule id>` of the rule that decided the outcome. */
  rule: string;
  reason: string;
  reasonZh: string;
  normalisedDecisionNo: string;
  /** City the delegation goes to (the penalising city), null when not routable. */
  routeCity: string | null;
}

export interface AssessOutput {
  rulesVersion: string;
  requestDate: string;
  results: RecordAssessment[];
}
