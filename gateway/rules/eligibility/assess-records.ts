/**
 * Eligibility pre-check for credit repair: one verdict per penalty record. Pure apart from the
 * clock, which is a parameter and only consulted when the request has no date.
 */
import { todayInShanghai } from '../../calendar/shanghai-time';
import { normaliseDecisionNo } from '../decision-number';
import { cityOfDivision } from '../division';
import { selectRuleSet } from '../select-rule-set';
import type { AssessInput, AssessOutput, RecordAssessment } from '../types';
import { buildContext } from './context';
import { parseInput } from './parse-input';
import { runChecks } from './pipeline';

export function assessRecords(
  input: AssessInput,
  now: () => Date = () => new Date(),
): AssessOutput {
  const parsed = parseInput(input, todayInShanghai(now()));
  const rules = selectRuleSet(parsed.requestDate, parsed.rulesVersion);
  const members = new Set(parsed.members.map(cityOfDivision));
  const results = parsed.records.map((record): RecordAssessment => {
    const ctx = buildContext(record, rules, parsed.requestDate, members);
    const verdict = runChecks(ctx);
    return {
      ...(record.ref !== undefined ? { ref: record.ref } : {}),
      outcome: verdict.outcome,
      eligibleFrom: verdict.eligibleFrom,
      publicityEndsOn: ctx.publicityEndsOn,
      tier: ctx.tier,
      rule: `${rules.rulesVersion}/${verdict.ruleId}`,
      reason: verdict.reason,
      reasonZh: verdict.reasonZh,
      normalisedDecisionNo: normaliseDecisionNo(record.decisionNo),
      routeCity: verdict.outcome === 'not_routable' ? null : ctx.routeCity,
    };
  });
  return { rulesVersion: rules.rulesVersion, requestDate: parsed.requestDate, results };
}
