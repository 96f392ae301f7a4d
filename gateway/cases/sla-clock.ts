import { isOverdue, shanghaiDateOf, slaFor, workingDaysBetween, type CitySla } from '../calendar';
import type { CityDirectory } from '../config/city-directory';
import type { DelegationStatus } from './transitions';
import type { SlaDatesWire } from './types';

/** Statuses in which the penalising city owes a decision (the SLA clock runs). */
const WAITING_ON_AUTHORITY: readonly DelegationStatus[] = ['delivered', 'accepted', 'under_review'];

/**
 * SLA clock of a delegation from its receipt time at the penalising city, under that city's
 * configured SLA (national defaults otherwise). Paused while materials are requested; stopped
 * once decided.
 */
export function slaClock(
  cities: CityDirectory,
  penalisingCity: string,
  receivedAt: Date | null,
  status: DelegationStatus,
  now: Date,
): SlaDatesWire | undefined {
  if (!receivedAt) return undefined;
  const iso = new Date(receivedAt).toISOString();
  const s = slaFor(iso, cities.get(penalisingCity)?.sla as CitySla | undefined);
  const running = WAITING_ON_AUTHORITY.includes(status);
  const today = shanghaiDateOf(now.getTime());
  const decisionDay = s.decisionDue.slice(0, 10);
  return {
    receivedDate: shanghaiDateOf(new Date(receivedAt).getTime()),
    decisionDue: s.decisionDue,
    feedbackDue: s.feedbackDue,
    ...(s.acknowledgeDue ? { acknowledgeDue: s.acknowledgeDue } : {}),
    provisional: s.provisional,
    overdue: running && isOverdue(s.decisionDue, now),
    workingDaysLeft: running ? workingDaysBetween(today, decisionDay).days : undefined,
  };
}
