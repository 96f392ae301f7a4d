/**
 * The deadlines of one request. National floor (DOMAIN.md, Outcomes and time limits): the
 * authority decides within 3 working days of receipt and the applicant gets feedback within 10
 * working days. A city's own promise (city config `sla`) replaces the national default for
 * that step when configured; `basis` says which one applied.
 */
import { dueAt, type DueAtOptions } from './due-at';
import type { CitySla, DueResult, Sla } from './types';

export const NATIONAL_SLA: Readonly<{ decide: Sla; feedback: Sla }> = Object.freeze({
  decide: Object.freeze({ value: 3, unit: 'working_days' as const }),
  feedback: Object.freeze({ value: 10, unit: 'working_days' as const }),
});

export type SlaBasis = 'national' | 'city';

export interface SlaDeadlines {
  /** Only when the city promises an acknowledgement (no national rule for it). */
  acknowledgeDue: string | null;
  decisionDue: string;
  feedbackDue: string;
  /** True when any deadline touched a day outside the holiday data. */
  provisional: boolean;
  basis: { decision: SlaBasis; feedback: SlaBasis };
}

export function slaFor(
  receivedAt: string,
  citySla?: CitySla,
  options: DueAtOptions = {},
): SlaDeadlines {
  const decision = dueAt(receivedAt, citySla?.decide ?? NATIONAL_SLA.decide, options);
  const feedback = dueAt(receivedAt, citySla?.feedback ?? NATIONAL_SLA.feedback, options);
  const acknowledge: DueResult | undefined =
    citySla?.acknowledge && dueAt(receivedAt, citySla.acknowledge, options);
  return {
    acknowledgeDue: acknowledge?.due ?? null,
    decisionDue: decision.due,
    feedbackDue: feedback.due,
    provisional:
      decision.provisional || feedback.provisional || (acknowledge?.provisional ?? false),
    basis: {
      decision: citySla?.decide ? 'city' : 'national',
      feedback: citySla?.feedback ? 'city' : 'national',
    },
  };
}
