/**
 * Which rule set governs a request: the one the case pins (`rulesVersion`), or else the newest
 * whose effective date is on or before the request date.
 */
import { TongbanError } from '../errors';
import type { RuleSet } from './rule-set';
import { RULE_SETS } from './rule-sets';

export function selectRuleSet(
  requestDate: string,
  rulesVersion?: string,
  ruleSets: readonly RuleSet[] = RULE_SETS,
): RuleSet {
  if (rulesVersion !== undefined) {
    const pinned = ruleSets.find((r) => r.rulesVersion === rulesVersion);
    if (!pinned) {
      const known = ruleSets.map((r) => r.rulesVersion).join(', ');
      throw new TongbanError(
        'invalid_parameter',
        `unknown rulesVersion ${JSON.stringify(rulesVersion)} (known: ${known})`,
        {
          pointer: '/rulesVersion',
        },
      );
    }
    // Applying a rule before it was in force would promise what the law did not yet allow.
    if (pinned.effectiveFrom > requestDate) {
      throw new TongbanError(
        'invalid_parameter',
        `rulesVersion ${rulesVersion} is only in force from ${pinned.effectiveFrom}`,
        {
          pointer: '/rulesVersion',
        },
      );
    }
    return pinned;
  }
  const newest = ruleSets
    .filter((r) => r.effectiveFrom <= requestDate)
    .reduce<RuleSet | undefined>(
      (best, r) => (!best || r.effectiveFrom > best.effectiveFrom ? r : best),
      undefined,
    );
  if (!newest) {
    throw new TongbanError('invalid_parameter', `no rule set is in force on ${requestDate}`, {
      pointer: '/requestDate',
    });
  }
  return newest;
}
