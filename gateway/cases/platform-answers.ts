import { latestCheckpoint } from '../ledger';
import type { Gateway } from '../runtime/context';
import { checkInclusion } from './inclusion';
import type { PlatformAnswerWire } from './types';

interface AnswerRow {
  ledger_index: string | number;
  city: string;
  operation: PlatformAnswerWire['operation'];
  delegation_id: string | null;
  http_status: number | null;
  at: Date | string;
  data: Uint8Array;
}

/** The status a status answer applied (its ledger document's `outcome.status`), else null. */
function appliedStatus(operation: string, data: Uint8Array): string | null {
  if (operation !== 'status') return null;
  try {
    const doc = JSON.parse(Buffer.from(data).toString('utf8')) as {
      outcome?: { status?: unknown };
    };
    return typeof doc.outcome?.status === 'string' ? doc.outcome.status : null;
  } catch {
    return null;
  }
}

/**
 * What platforms answered for the case's delegations (rest adapters), oldest first, each with
 * its inclusion in the latest checkpoint checked. The request and response bodies stay in the
 * ledger entry (`GET /ledger/v1/entries/{index}`): they can carry the applicant's details.
 */
export async function casePlatformAnswers(
  gw: Gateway,
  caseId: string,
): Promise<PlatformAnswerWire[]> {
  const rows = (
    await gw.store.query<AnswerRow>(
      `SELECT a.ledger_index, a.city, a.operation, a.delegation_id, a.http_status, a.at, e.data
         FROM adapter_answers a JOIN ledger_entries e ON e.idx = a.ledger_index
        WHERE a.delegation_id IN (SELECT id FROM delegations WHERE case_id = $1)
        ORDER BY a.ledger_index`,
      [caseId],
    )
  ).rows;
  if (rows.length === 0) return [];
  const head = await latestCheckpoint(gw.store);
  const out: PlatformAnswerWire[] = [];
  for (const r of rows) {
    const index = Number(r.ledger_index);
    const included = await checkInclusion(gw.store, index, r.data, head);
    out.push({
      ledgerIndex: index,
      at: new Date(r.at).toISOString(),
      city: r.city,
      delegationId: r.delegation_id,
      operation: r.operation,
      httpStatus: r.http_status,
      status: appliedStatus(r.operation, r.data),
      verified: included.ok,
      detail: included.detail ?? `inclusion in checkpoint of size ${head?.size} verified`,
    });
  }
  return out;
}
