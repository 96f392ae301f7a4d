/**
 * The checks, in the order DOMAIN.md implies: routable → expired → bars → obligations →
 * minimum period. The first check with a verdict decides; the last always decides.
 */
import { checkBars } from './check-bars';
import { checkExpired } from './check-expired';
import { decideByMinPeriod } from './check-min-period';
import { checkObligations } from './check-obligations';
import { checkRoutable } from './check-routable';
import type { RecordContext, Verdict } from './context';

export const CHECKS: ReadonlyArray<(ctx: RecordContext) => Verdict | undefined> = Object.freeze([
  checkRoutable,
  checkExpired,
  checkBars,
  checkObligations,
]);

export function runChecks(ctx: RecordContext): Verdict {
  for (const check of CHECKS) {
    const verdict = check(ctx);
    if (verdict) return verdict;
  }
  return decideByMinPeriod(ctx);
}
