/**
 * Obligations must be fulfilled in full on the request date (DOMAIN.md, Conditions to apply,
 * item 2): the fine paid, confiscation executed, rectification done. A payment dated after the
 * request does not count; a payment on the request date does; no fine at all is fine.
 */
import type { PenaltyRecord } from '../types';

export type ObligationGap = 'fine_unpaid' | 'fine_paid_after_request' | 'other_obligations';

/**
 * A fine is owed when an amount above zero is given, or when a fine measure is listed with no
 * amount at all (unknown must not pass for "no fine"). An explicit amount of 0 owes nothing.
 */
export function fineOwed(record: PenaltyRecord): boolean {
  if (record.fineCny !== undefined) return record.fineCny > 0;
  return record.measures.some((m) => m.type === 'fine');
}

export function openObligations(record: PenaltyRecord, requestDate: string): ObligationGap[] {
  const gaps: ObligationGap[] = [];
  if (fineOwed(record)) {
    const paid = record.finePaidDate ?? null;
    if (paid === null) gaps.push('fine_unpaid');
    else if (paid > requestDate) gaps.push('fine_paid_after_request');
  }
  if (!record.otherObligationsFulfilled) gaps.push('other_obligations');
  return gaps;
}

export const GAP_TEXT: Readonly<Record<ObligationGap, { en: string; zh: string }>> = Object.freeze({
  fine_unpaid: { en: 'the fine is unpaid', zh: '罚款尚未缴纳' },
  fine_paid_after_request: {
    en: 'the fine payment is dated after the request date',
    zh: '罚款缴纳日期晚于申请日期',
  },
  other_obligations: {
    en: 'other obligations (confiscation, rectification) are not fulfilled',
    zh: '其他法定义务（没收、整改等）尚未履行完毕',
  },
});
