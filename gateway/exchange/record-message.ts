import type { Envelope } from '../signing';
import type { Attached } from '../ledger';
import type { Queryable } from '../store';

export interface MessageRow {
  id: string;
  direction: 'in' | 'out';
  type: string;
  from_city: string;
  to_city: string;
  kid: string;
  digest: string;
  ledger_index: number;
  issued_at: Date;
  recorded_at: Date;
  case_id: string | null;
  delegation_id: string | null;
  receipt_id: string | null;
}

/** Index one signed message (its bytes are already in the ledger at `ledgerIndex`). */
export async function recordMessage(
  q: Queryable,
  m: {
    env: Envelope;
    direction: 'in' | 'out';
    kid: string;
    digest: string;
    ledgerIndex: number;
    delegationId?: string | null;
    /** Received messages: the id of our answer, when known before it is signed. */
    receiptId?: string | null;
  },
): Promise<void> {
  await q.query(
    `INSERT INTO messages (id, direction, type, from_city, to_city, kid, digest, ledger_index, issued_at, case_id, delegation_id, receipt_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
    [
      m.env.id,
      m.direction,
      m.env.type,
      m.env.from,
      m.env.to,
      m.kid,
      m.digest,
      m.ledgerIndex,
      m.env.issuedAt,
      m.env.caseRef ?? null,
      m.delegationId ?? delegationIdOf(m.env.body),
      m.receiptId ?? null,
    ],
  );
}

export type MessageRecord = Parameters<typeof recordMessage>[1];

/**
 * The index rows of several messages as an attachment to the ledger append that logs them
 * (gateway/ledger/store/attach.ts): written in the same statement, only with the entries.
 * `ledgerIndex` of each record must already be the index its entry gets.
 */
export function messageRows(ms: readonly MessageRecord[]): Attached {
  return {
    insert: `INSERT INTO messages (id, direction, type, from_city, to_city, kid, digest, ledger_index, issued_at, case_id, delegation_id, receipt_id)`,
    select: `SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::int8[],
                          $9::timestamptz[], $10::text[], $11::text[], $12::text[])`,
    params: [
      ms.map((m) => m.env.id),
      ms.map((m) => m.direction),
      ms.map((m) => m.env.type),
      ms.map((m) => m.env.from),
      ms.map((m) => m.env.to),
      ms.map((m) => m.kid),
      ms.map((m) => m.digest),
      ms.map((m) => m.ledgerIndex),
      ms.map((m) => m.env.issuedAt),
      ms.map((m) => m.env.caseRef ?? null),
      ms.map((m) => m.delegationId ?? delegationIdOf(m.env.body)),
      ms.map((m) => m.receiptId ?? null),
    ],
  };
}

function delegationIdOf(body: unknown): string | null {
  const id = (body as { delegationId?: unknown } | null)?.delegationId;
  return typeof id === 'string' ? id : null;
}

/** The exact stored bytes of a message (from the ledger). */
export async function messageBytes(
  q: Queryable,
  id: string,
  direction: 'in' | 'out',
): Promise<Uint8Array | undefined> {
  const r = await q.query<{ data: Uint8Array }>(
    `SELECT e.data FROM messages m JOIN ledger_entries e ON e.idx = m.ledger_index WHERE m.id = $1 AND m.direction = $2`,
    [id, direction],
  );
  return r.rows[0]?.data;
}
