import { TongbanError } from '../errors';
import type { components } from '../../contracts/generated/exchange.v1';

export type DelegationStatus = components['schemas']['DelegationStatus'];
export type DecisionAction =
  'accept' | 'reject' | 'start_review' | 'request_materials' | 'approve' | 'deny' | 'mark_repaired';

/**
 * The delegation lifecycle, in one table. The penalising city is the authority: it moves a
 * delegation through these states and tells the registration city by signed callbacks.
 *   submitted → delivered → accepted → under_review ⇄ materials_requested → approved → repaired
 * with exits rejected, denied, withdrawn and failed (undeliverable; replayable).
 */
export const TRANSITIONS: Readonly<Record<DelegationStatus, readonly DelegationStatus[]>> = {
  submitted: ['delivered', 'failed', 'withdrawn'],
  failed: ['submitted', 'withdrawn'],
  delivered: ['accepted', 'rejected', 'withdrawn'],
  accepted: ['under_review', 'materials_requested', 'approved', 'denied', 'withdrawn'],
  under_review: ['materials_requested', 'approved', 'denied', 'withdrawn'],
  materials_requested: ['under_review', 'denied', 'withdrawn'],
  approved: ['repaired'],
  repaired: [],
  rejected: [],
  denied: [],
  withdrawn: [],
};

/** What each officer action on the penalising side moves the delegation to. */
export const ACTION_TARGET: Readonly<Record<DecisionAction, DelegationStatus>> = {
  accept: 'accepted',
  reject: 'rejected',
  start_review: 'under_review',
  request_materials: 'materials_requested',
  approve: 'approved',
  deny: 'denied',
  mark_repaired: 'repaired',
};

export const TERMINAL: readonly DelegationStatus[] = [
  'repaired',
  'rejected',
  'denied',
  'withdrawn',
];

export function isTerminal(s: DelegationStatus): boolean {
  return TERMINAL.includes(s);
}

export function canTransition(from: DelegationStatus, to: DelegationStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

export function assertTransition(
  from: DelegationStatus,
  to: DelegationStatus,
  what = 'delegation',
): void {
  if (!canTransition(from, to)) {
    throw new TongbanError(
      'illegal_transition',
      `A ${what} in status ${from} cannot move to ${to}`,
      {
        extra: { from, to, allowed: TRANSITIONS[from] },
      },
    );
  }
}

/** Officer actions allowed from a status (for the inbox's buttons). */
export function allowedActions(from: DelegationStatus): DecisionAction[] {
  return (Object.keys(ACTION_TARGET) as DecisionAction[]).filter((a) =>
    canTransition(from, ACTION_TARGET[a]),
  );
}
