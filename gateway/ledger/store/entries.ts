import type { Queryable } from '../../store';
import { toBytes } from '../merkle/bytes';
import { checkCount, rangeError } from './params';

/** Most entries one read returns; clients page with `start`. */
export const MAX_ENTRIES_PER_READ = 1000;

export interface LedgerEntry {
  index: number;
  data: Uint8Array;
  leafHash: Uint8Array;
  kind: string;
  messageId: string | null;
  createdAt: Date;
}

interface EntryRow {
  idx: number;
  data: Uint8Array;
  leaf_hash: Uint8Array;
  kind: string;
  message_id: string | null;
  created_at: Date;
}

/**
 * Entries [start, end), at most MAX_ENTRIES_PER_READ of them and none beyond the tree head
 * (fewer than asked is normal: page on from the last index returned).
 */
export async function entries(q: Queryable, start: number, end: number): Promise<LedgerEntry[]> {
  checkCount('start', start);
  checkCount('end', end);
  if (end <= start) throw rangeError('end', 'end must be greater than start');
  const stop = Math.min(end, start + MAX_ENTRIES_PER_READ);
  const { rows } = await q.query<EntryRow>(
    `SELECT idx, data, leaf_hash, kind, message_id, created_at FROM ledger_entries
     WHERE idx >= $1 AND idx < LEAST($2::int8, (SELECT size FROM ledger_head WHERE id = 1)) ORDER BY idx`,
    [start, stop],
  );
  return rows.map((r) => ({
    index: r.idx,
    data: toBytes(r.data),
    leafHash: toBytes(r.leaf_hash),
    kind: r.kind,
    messageId: r.message_id,
    createdAt: r.created_at,
  }));
}
