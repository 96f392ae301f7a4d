import { flattenedVerify, type FlattenedJWS } from 'jose';
import { TongbanError } from '../errors';
import { messageBytes, type MessageRow } from '../exchange/record-message';
import { latestCheckpoint } from '../ledger';
import type { Gateway } from '../runtime/context';
import type { Queryable } from '../store';
import { checkInclusion, type Head } from './inclusion';
import type { TimelineEntryWire } from './types';

interface Verification {
  signature: boolean;
  inclusion: boolean;
  detail: string;
}

/** Verify a stored signed message as a third party would: its signature and its ledger inclusion. */
async function verifyStored(
  gw: Gateway,
  q: Queryable,
  row: MessageRow,
  bytes: Uint8Array,
  head: Head,
): Promise<Verification> {
  let signature = false;
  let detail = '';
  try {
    const jws = JSON.parse(Buffer.from(bytes).toString('utf8')) as FlattenedJWS;
    const key = await gw.resolveKey(row.from_city, row.kid);
    if (!key) detail = `key ${row.kid} of city ${row.from_city} is unknown`;
    else {
      await flattenedVerify(jws, key, { algorithms: ['EdDSA'] });
      signature = true;
    }
  } catch (e) {
    detail = `signature does not verify: ${(e as Error).message}`;
  }
  const included = await checkInclusion(q, row.ledger_index, bytes, head);
  const inclusion = included.ok;
  if (included.detail) detail ||= included.detail;
  return {
    signature,
    inclusion,
    detail: detail || `signature and inclusion in checkpoint of size ${head?.size} verified`,
  };
}

function summaryOf(bytes: Uint8Array): string {
  try {
    const jws = JSON.parse(Buffer.from(bytes).toString('utf8')) as { payload: string };
    const env = JSON.parse(Buffer.from(jws.payload, 'base64url').toString('utf8')) as {
      body?: Record<string, unknown>;
    };
    const b = env.body ?? {};
    const parts = [
      b.status,
      b.reason,
      Array.isArray(b.materialsRequested) ? b.materialsRequested.join('、') : undefined,
    ].filter((x) => typeof x === 'string' && x.length > 0);
    return parts.join(' · ');
  } catch {
    return '';
  }
}

async function toEntry(
  gw: Gateway,
  row: MessageRow,
  head: Head,
): Promise<TimelineEntryWire & { bytes: Uint8Array }> {
  const bytes = await messageBytes(gw.store, row.id, row.direction);
  if (!bytes) throw new TongbanError('internal', `message ${row.id} has no ledger entry`);
  const verification = await verifyStored(gw, gw.store, row, bytes, head);
  return {
    messageId: row.id,
    delegationId: row.delegation_id,
    direction: row.direction,
    type: row.type as TimelineEntryWire['type'],
    at: new Date(row.issued_at).toISOString(),
    from: row.from_city,
    to: row.to_city,
    kid: row.kid,
    ledgerIndex: row.ledger_index,
    digest: row.digest,
    verified: verification.signature && verification.inclusion,
    verification,
    summary: summaryOf(bytes),
    bytes,
  };
}

/**
 * Every signed message of a case, both directions, oldest first, each verified by the server;
 * with the `receipt.batch` envelopes that acknowledged any of them (they belong to no one case).
 */
export async function caseTimeline(gw: Gateway, caseId: string): Promise<TimelineEntryWire[]> {
  const rows = (
    await gw.store.query<MessageRow>(
      `SELECT * FROM messages WHERE case_id = $1
       UNION ALL
       SELECT * FROM messages r WHERE r.case_id IS NULL AND (r.id, r.direction) IN (
         SELECT m.receipt_id, CASE m.direction WHEN 'in' THEN 'out' ELSE 'in' END
           FROM messages m WHERE m.case_id = $1 AND m.receipt_id IS NOT NULL)
       ORDER BY ledger_index`,
      [caseId],
    )
  ).rows;
  const head = await latestCheckpoint(gw.store);
  const out: TimelineEntryWire[] = [];
  for (const row of rows) {
    const { bytes: _b, ...entry } = await toEntry(gw, row, head);
    out.push(entry);
  }
  return out;
}

/** One stored message: its exact bytes (for any JOSE library), envelope and verification. */
export async function messageDetail(gw: Gateway, id: string) {
  const rows = (
    await gw.store.query<MessageRow>('SELECT * FROM messages WHERE id = $1 ORDER BY direction', [
      id,
    ])
  ).rows;
  const row = rows[0];
  if (!row) throw new TongbanError('not_found', `No message ${id}`);
  const { bytes, ...entry } = await toEntry(gw, row, await latestCheckpoint(gw.store));
  const raw = Buffer.from(bytes).toString('utf8');
  const envelope = JSON.parse(
    Buffer.from((JSON.parse(raw) as { payload: string }).payload, 'base64url').toString('utf8'),
  ) as unknown;
  return { entry, raw, envelope };
}
