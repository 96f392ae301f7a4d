/**
 * A rule set: one version of the credit-repair rules as data (DOMAIN.md: keep every rule as
 * versioned data, because the rules changed in 2025–2026 and will change again).
 */
import type { MeasureType, Sector, Tier } from './types';

export interface TierPeriods {
  /** Minimum publicity before repair may be requested; 0 = none. */
  readonly minMonths: number;
  /** Maximum publicity; afterwards it stops by itself if obligations are met. */
  readonly maxMonths: number;
}

/** A sector rule that keeps publicity running its full period (no early repair). */
export interface SectorBar {
  readonly id: string;
  readonly sector: Sector;
  readonly measures: readonly MeasureType[];
  readonly source: string;
  readonly reason: string;
  readonly reasonZh: string;
}

export interface RuleSet {
  readonly rulesVersion: string;
  /** First request date the set applies to. */
  readonly effectiveFrom: string;
  readonly title: string;
  readonly sources: readonly string[];
  /** Which record date the periods run from. */
  readonly periodStartsFrom: 'publicityStartDate' | 'decisionDate';
  readonly tiers: Readonly<Record<Tier, TierPeriods>>;
  /** Tier implied by each measure type on its own. */
  readonly measureTiers: Readonly<Record<MeasureType, Tier>>;
  /** Measures that count as minor when the record's severity is minor (e.g. a simplified-procedure fine). */
  readonly minorWhenRecordMinor: readonly MeasureType[];
  readonly bars: readonly SectorBar[];
}
