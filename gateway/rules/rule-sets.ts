/**
 * The shipped rule sets, validated and frozen once at load. Add a version by adding a JSON
 * file under data/ and listing it here; never edit a released version (cases pin it).
 */
import { TongbanError } from '../errors';
import cn2021 from './data/cn-2021.json';
import cn202604 from './data/cn-2026-04.json';
import { parseRuleSet } from './parse-rule-set';
import type { RuleSet } from './rule-set';

const FILES: ReadonlyArray<readonly [string, unknown]> = [
  ['data/cn-2021.json', cn2021],
  ['data/cn-2026-04.json', cn202604],
];

/** Oldest first, by effective date. */
export const RULE_SETS: readonly RuleSet[] = Object.freeze(
  FILES.map(([file, raw]) => parseRuleSet(raw, file)).sort((a, b) =>
    a.effectiveFrom.localeCompare(b.effectiveFrom),
  ),
);

const versions = RULE_SETS.map((r) => r.rulesVersion);
const repeated = versions.find((v, i) => versions.indexOf(v) !== i);
if (repeated !== undefined) {
  throw new TongbanError('config_invalid', `rules: rulesVersion ${repeated} is shipped twice`);
}

export const RULES_VERSIONS: readonly string[] = Object.freeze(versions);
