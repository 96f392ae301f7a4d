import type { Queryable } from '../../store';
import type { EntryRow } from './entry-checks';
import { storedNodesCompletedBy } from './stored-nodes';

interface Row {
  idx: number;
  data_hex: string;
  leaf_hash_hex: string;
}

export interface EntryBatch {
  rows: EntryRow[];
  /** Stored subtree hashes completed by the leaves of this batch. */
  nodes: Map<string, Uint8Array>;
}

// Bytes travel as hex text decoded here: the same work as pg's own bytea parser, and about
// five times faster than PGlite's (measured on 50k entries: 0.5 s against 2.6 s).
const BATCH_SQL = `SELECT idx, encode(data, 'hex') AS data_hex, encode(leaf_hash, 'hex') AS leaf_hash_hex
FROM ledger_entries WHERE idx >= $1 ORDER BY idx LIMIT $2`;

async function fetchBatch(q: Queryable, from: number, limit: number): Promise<EntryBatch> {
  const { rows } = await q.query<Row>(BATCH_SQL, [from, limit]);
  const last = rows.at(-1);
  const nodes = last
    ? await storedNodesCompletedBy(q, from, last.idx + 1)
    : new Map<string, Uint8Array>();
  return {
    rows: rows.map((r) => ({
      index: r.idx,
      data: Buffer.from(r.data_hex, 'hex'),
      leafHash: Buffer.from(r.leaf_hash_hex, 'hex'),
    })),
    nodes,
  };
}

/**
 * Every stored entry in index order, in batches (keyset pagination, so memory stays at one or
 * two batches). The next batch is requested before the current one is handed out, so the
 * database works while the caller hashes.
 */
export async function* entryBatches(q: Queryable, batchSize: number): AsyncGenerator<EntryBatch> {
  let next: Promise<EntryBatch> | undefined = fetchBatch(q, 0, batchSize);
  while (next) {
    const batch: EntryBatch = await next;
    const last = batch.rows.at(-1);
    next =
      last && batch.rows.length === batchSize
        ? fetchBatch(q, last.index + 1, batchSize)
        : undefined;
    // A prefetch the caller never consumes (it stopped early) must not become an unhandled rejection.
    next?.catch(() => undefined);
    yield batch;
  }
}
