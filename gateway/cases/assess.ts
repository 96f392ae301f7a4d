import { slaFor, todayInShanghai } from '../calendar';
import type { CitySla } from '../calendar';
import type { CityDirectory } from '../config/city-directory';
import { assessRecords, assertUscc, type PenaltyRecord } from '../rules';
import type { EligibilityRequest, EligibilityResult } from './types';

/**
 * The eligibility pre-check as the liaison API answers it: per-record outcomes from the rules,
 * plus SLA due dates (national defaults, and each routable record's city SLA).
 */
export function checkEligibility(
  cities: CityDirectory,
  req: EligibilityRequest,
  now: Date,
  allowNotYetEligible = false,
): EligibilityResult {
  if (req.uscc !== undefined) assertUscc(req.uscc, '/uscc');
  const requestDate = req.requestDate ?? todayInShanghai(now);
  const out = assessRecords({
    requestDate,
    members: cities.members(),
    rulesVersion: req.rulesVersion,
    records: req.records as PenaltyRecord[],
  });
  const receivedDate = req.receivedDate ?? out.requestDate;
  const national = slaFor(receivedDate);
  // Time-based city SLAs (e.g. acknowledge within 30 minutes) need a time of receipt; a date
  // alone is taken as received at the start of office hours that day.
  const receivedAt = `${receivedDate}T09:00:00+08:00`;
  const records = out.results.map((a) => {
    const city = a.routeCity ? cities.get(a.routeCity) : undefined;
    const citySla = city?.sla as CitySla | undefined;
    const hasOwn = Boolean(citySla && (citySla.decide || citySla.feedback || citySla.acknowledge));
    const s = hasOwn ? slaFor(receivedAt, citySla) : undefined;
    return {
      ...a,
      ...(s
        ? {
            citySla: {
              receivedDate,
              decisionDue: s.decisionDue,
              feedbackDue: s.feedbackDue,
              ...(s.acknowledgeDue ? { acknowledgeDue: s.acknowledgeDue } : {}),
              provisional: s.provisional,
            },
          }
        : {}),
    };
  });
  const filingAllowed = out.results.some(
    (r) =>
      r.outcome === 'eligible_now' || (allowNotYetEligible && r.outcome === 'not_yet_eligible'),
  );
  return {
    rulesVersion: out.rulesVersion,
    requestDate: out.requestDate,
    records,
    sla: {
      receivedDate,
      decisionDue: national.decisionDue,
      feedbackDue: national.feedbackDue,
      provisional: national.provisional,
    },
    filingAllowed,
  };
}
