import type { components } from '../../contracts/generated/liaison.v1';
import type { DelegationStatus } from './transitions';
import { isTerminal } from './transitions';

export type CaseStatus = components['schemas']['CaseStatus'];

/** A case's status is derived from its delegations' statuses, never stored independently. */
export function deriveCaseStatus(statuses: readonly DelegationStatus[]): CaseStatus {
  if (statuses.length === 0) return 'closed';
  if (statuses.every((s) => s === 'withdrawn')) return 'withdrawn';
  if (statuses.some((s) => s === 'materials_requested' || s === 'failed')) return 'action_required';
  if (!statuses.every(isTerminal)) return 'open';
  const repaired = statuses.filter((s) => s === 'repaired').length;
  if (repaired === statuses.length) return 'completed';
  return repaired > 0 ? 'partially_repaired' : 'closed';
}
