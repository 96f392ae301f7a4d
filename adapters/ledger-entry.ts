import { appendEntry } from '../gateway/ledger';
import { canonicalJson } from '../gateway/signing';
import type { Queryable } from '../gateway/store';
import type { Evidence } from './types';

/** Ledger entry kind of what a city's adapter answered (platforms sign nothing themselves). */
export const ADAPTER_ENTRY_KIND = 'adapter';

export interface AdapterEntry {
  /** When the gateway recorded it. */
  at: string;
  evidence: Evidence;
  /** The outbox message this answers (deliveries), if any. */
  messageId?: string;
  delegationId?: string;
  /** What the gateway did with the answer, e.g. the status and seq it applied. */
  outcome?: Record<string, unknown>;
}

/**
 * Append what a city's platform answered to the ledger, as RFC 8785 canonical JSON, inside the
 * caller's transaction, so the state change it caused and the evidence commit together; and
 * index it by delegation for the case timeline (`adapter_answers`, migration 009).
 */
export async function recordAdapterAnswer(q: Queryable, e: AdapterEntry): Promise<number> {
  const doc = JSON.parse(
    JSON.stringify({
      type: 'tongban.adapter-answer.v1',
      at: e.at,
      city: e.evidence.city,
      adapter: e.evidence.adapter,
      operation: e.evidence.operation,
      delegationId: e.delegationId,
      messageId: e.messageId,
      request: e.evidence.request,
      response: e.evidence.response,
      outcome: e.outcome,
    }),
  ) as unknown;
  const { index } = await appendEntry(q, canonicalJson(doc), {
    kind: ADAPTER_ENTRY_KIND,
    ...(e.messageId ? { messageId: e.messageId } : {}),
  });
  await q.query(
    `INSERT INTO adapter_answers (ledger_index, city, operation, delegation_id, message_id, http_status, at)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [
      Number(index),
      e.evidence.city,
      e.evidence.operation,
      e.delegationId ?? null,
      e.messageId ?? null,
      e.evidence.response.status,
      e.at,
    ],
  );
  return Number(index);
}
