/**
 * Validate a rule-set JSON file once at load time. A broken rule file must stop the gateway
 * with the file and field named, never produce a wrong eligibility answer later.
 */
import { isIsoDate } from '../calendar/iso-date';
import { TongbanError } from '../errors';
import type { RuleSet } from './rule-set';
import { MEASURE_TYPES, SECTORS, TIERS } from './types';

type Json = Record<string, unknown>;

export function parseRuleSet(raw: unknown, file: string): RuleSet {
  const fail = (pointer: string, problem: string): never => {
    throw new TongbanError('config_invalid', `rules ${file}: ${pointer} ${problem}`, { pointer });
  };
  const obj = (v: unknown, p: string): Json =>
    typeof v === 'object' && v !== null && !Array.isArray(v)
      ? (v as Json)
      : fail(p, 'must be an object');
  const str = (v: unknown, p: string): string =>
    typeof v === 'string' && v.length > 0 ? v : fail(p, 'must be a non-empty string');
  const arr = (v: unknown, p: string): unknown[] =>
    Array.isArray(v) ? v : fail(p, 'must be an array');
  const oneOf = <T extends string>(list: readonly T[], v: unknown, p: string): T =>
    list.includes(v as T) ? (v as T) : fail(p, `must be one of ${list.join(', ')}`);
  const months = (v: unknown, p: string): number =>
    Number.isInteger(v) && (v as number) >= 0
      ? (v as number)
      : fail(p, 'must be a whole number ≥ 0');

  const root = obj(raw, '');
  const effectiveFrom = str(root.effectiveFrom, '/effectiveFrom');
  if (!isIsoDate(effectiveFrom)) fail('/effectiveFrom', 'must be an ISO date');

  const tiersIn = obj(root.tiers, '/tiers');
  const tiers = Object.fromEntries(
    TIERS.map((t) => {
      const tier = obj(tiersIn[t], `/tiers/${t}`);
      const min = months(tier.minMonths, `/tiers/${t}/minMonths`);
      const max = months(tier.maxMonths, `/tiers/${t}/maxMonths`);
      if (max < min || max === 0)
        fail(`/tiers/${t}`, 'needs 0 < maxMonths and minMonths ≤ maxMonths');
      return [t, Object.freeze({ minMonths: min, maxMonths: max })];
    }),
  ) as RuleSet['tiers'];

  const measureIn = obj(root.measureTiers, '/measureTiers');
  const measureTiers = Object.fromEntries(
    MEASURE_TYPES.map((m) => [m, oneOf(TIERS, measureIn[m], `/measureTiers/${m}`)]),
  ) as RuleSet['measureTiers'];

  const bars = arr(root.bars, '/bars').map((b, i) => {
    const bar = obj(b, `/bars/${i}`);
    const p = `/bars/${i}`;
    return Object.freeze({
      id: str(bar.id, `${p}/id`),
      sector: oneOf(SECTORS, bar.sector, `${p}/sector`),
      measures: Object.freeze(
        arr(bar.measures, `${p}/measures`).map((m, j) =>
          oneOf(MEASURE_TYPES, m, `${p}/measures/${j}`),
        ),
      ),
      source: str(bar.source, `${p}/source`),
      reason: str(bar.reason, `${p}/reason`),
      reasonZh: str(bar.reasonZh, `${p}/reasonZh`),
    });
  });
  const duplicate = bars.find((b, i) => bars.findIndex((o) => o.id === b.id) !== i);
  if (duplicate) fail('/bars', `has the id ${duplicate.id} twice`);

  return Object.freeze({
    rulesVersion: str(root.rulesVersion, '/rulesVersion'),
    effectiveFrom,
    title: str(root.title, '/title'),
    sources: Object.freeze(arr(root.sources, '/sources').map((s, i) => str(s, `/sources/${i}`))),
    periodStartsFrom: oneOf(
      ['publicityStartDate', 'decisionDate'] as const,
      root.periodStartsFrom,
      '/periodStartsFrom',
    ),
    tiers: Object.freeze(tiers),
    measureTiers: Object.freeze(measureTiers),
    minorWhenRecordMinor: Object.freeze(
      arr(root.minorWhenRecordMinor, '/minorWhenRecordMinor').map((m, i) =>
        oneOf(MEASURE_TYPES, m, `/minorWhenRecordMinor/${i}`),
      ),
    ),
    bars: Object.freeze(bars),
  });
}
