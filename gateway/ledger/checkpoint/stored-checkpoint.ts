import type { Queryable } from '../../store';
import { toBytes } from '../merkle/bytes';

export interface StoredCheckpoint {
  size: number;
  root: Uint8Array;
  /** The signed note, exactly as served at GET /checkpoint. */
  note: string;
  createdAt: Date;
}

interface CheckpointRow {
  size: number;
  root: Uint8Array;
  note: string;
  created_at: Date;
}

const fromRow = (r: CheckpointRow): StoredCheckpoint => ({
  size: r.size,
  root: toBytes(r.root),
  note: r.note,
  createdAt: r.created_at,
});

/** The most recent (largest) signed checkpoint, or null before the first one. */
export async function latestCheckpoint(q: Queryable): Promise<StoredCheckpoint | null> {
  const { rows } = await q.query<CheckpointRow>(
    'SELECT size, root, note, created_at FROM ledger_checkpoints ORDER BY size DESC LIMIT 1',
  );
  return rows[0] ? fromRow(rows[0]) : null;
}

/** The checkpoint stored for exactly this size, if any. */
export async function checkpointAt(q: Queryable, size: number): Promise<StoredCheckpoint | null> {
  const { rows } = await q.query<CheckpointRow>(
    'SELECT size, root, note, created_at FROM ledger_checkpoints WHERE size = $1',
    [size],
  );
  return rows[0] ? fromRow(rows[0]) : null;
}

/** Every stored checkpoint, smallest first (they are few: one per publish). */
export async function allCheckpoints(q: Queryable): Promise<StoredCheckpoint[]> {
  const { rows } = await q.query<CheckpointRow>(
    'SELECT size, root, note, created_at FROM ledger_checkpoints ORDER BY size',
  );
  return rows.map(fromRow);
}
