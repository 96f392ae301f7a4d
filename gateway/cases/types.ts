import type { components as X } from '../../contracts/generated/exchange.v1';
import type { components as L } from '../../contracts/generated/liaison.v1';

/** Wire shapes, from the generated contract types (never hand-written). */
export type PenaltyRecordWire = X['schemas']['PenaltyRecord'];
export type DelegationCreateBody = X['schemas']['DelegationCreate'];
export type CallbackBody = X['schemas']['Callback'];
export type MaterialsSupplyBody = X['schemas']['MaterialsSupply'];
export type WithdrawalBody = X['schemas']['Withdrawal'];
export type DelegationViewBody = X['schemas']['DelegationView'];
export type PenaltyQueryBody = X['schemas']['PenaltyQuery'];
export type PenaltyAnswerBody = X['schemas']['PenaltyAnswer'];
export type ReceiptBody = X['schemas']['Receipt'];
export type Material = X['schemas']['Material'];
export type SyncTarget = X['schemas']['SyncTarget'];

export type CaseCreate = L['schemas']['CaseCreate'];
export type CaseWire = L['schemas']['Case'];
export type CaseDetailWire = L['schemas']['CaseDetail'];
export type CaseSummaryWire = L['schemas']['CaseSummary'];
export type CaseListWire = L['schemas']['CaseList'];
export type DelegationWire = L['schemas']['Delegation'];
export type InboxItemWire = L['schemas']['InboxItem'];
export type DecisionWire = L['schemas']['Decision'];
export type EligibilityRequest = L['schemas']['EligibilityRequest'];
export type EligibilityResult = L['schemas']['EligibilityResult'];
export type SlaDatesWire = L['schemas']['SlaDates'];
export type TimelineEntryWire = L['schemas']['TimelineEntry'];
export type PlatformAnswerWire = L['schemas']['PlatformAnswer'];
export type DeliveryWire = L['schemas']['Delivery'];
