/**
 * Publicity tier of a record (DOMAIN.md, Publicity periods): a decision with several measures
 * takes the most severe tier among them, and never less than the record's own severity.
 *
 * A measure's tier is the rule set's tier for its type, raised by the measure's own severity
 * when that is higher (a very large fine is serious). Some measures (a fine) may count as
 * minor, but only when the record itself is graded minor (a simplified-procedure fine).
 */
import type { RuleSet } from './rule-set';
import { TIERS, type Measure, type Severity, type Tier } from './types';

export const TIER_LABEL_EN: Readonly<Record<Tier, string>> = Object.freeze({
  minor: 'Minor tier',
  ordinary: 'Ordinary tier',
  serious: 'Serious tier',
});

export const TIER_LABEL_ZH: Readonly<Record<Tier, string>> = Object.freeze({
  minor: '轻微',
  ordinary: '一般',
  serious: '严重',
});

export function moreSevere(a: Tier, b: Tier): Tier {
  return TIERS.indexOf(a) >= TIERS.indexOf(b) ? a : b;
}

export function measureTier(measure: Measure, recordSeverity: Severity, rules: RuleSet): Tier {
  const base =
    recordSeverity === 'minor' && rules.minorWhenRecordMinor.includes(measure.type)
      ? 'minor'
      : rules.measureTiers[measure.type];
  return moreSevere(base, measure.severity ?? 'minor');
}

export function recordTier(
  record: { severity: Severity; measures: readonly Measure[] },
  rules: RuleSet,
): Tier {
  return record.measures.reduce<Tier>(
    (tier, m) => moreSevere(tier, measureTier(m, record.severity, rules)),
    record.severity,
  );
}
