import type { Queryable, Store } from '../../store';
import { toBytes } from '../merkle/bytes';
import { witnessPeerCheckpoint, type WitnessInput, type WitnessResult } from './witness-checkpoint';

interface PeerRow {
  size: number;
  root: Uint8Array;
  status: string;
}

/**
 * Witnesses a peer's checkpoint against the last good one stored for that peer and records
 * the outcome. A good checkpoint becomes the new reference; a fork or shrink raises an alarm
 * that stays (the row keeps the last good head, the offending note is kept as evidence) until
 * an operator clears it. Bad signatures change nothing: anyone can send junk.
 */
export async function recordPeerCheckpoint(
  q: Queryable | Store,
  peer: string,
  input: Omit<WitnessInput, 'previous'>,
): Promise<WitnessResult> {
  if ('tx' in q && typeof q.tx === 'function')
    return q.tx((t) => recordPeerCheckpoint(t, peer, input));
  const { rows } = await q.query<PeerRow>(
    'SELECT size, root, status FROM peer_checkpoints WHERE peer = $1 FOR UPDATE',
    [peer],
  );
  const row = rows[0];
  const result = witnessPeerCheckpoint({
    ...input,
    previous: row ? { size: row.size, root: toBytes(row.root) } : null,
  });
  const cp = result.checkpoint;
  switch (result.status) {
    case 'bad_signature':
      break;
    case 'ok':
      if (!cp) break;
      await q.query(
        `INSERT INTO peer_checkpoints (peer, size, root, note, status, detail) VALUES ($1, $2, $3, $4, 'ok', $5)
         ON CONFLICT (peer) DO UPDATE SET size = EXCLUDED.size, root = EXCLUDED.root, note = EXCLUDED.note, seen_at = now(),
           detail = CASE WHEN peer_checkpoints.status = 'ok' THEN EXCLUDED.detail ELSE peer_checkpoints.detail END
         WHERE peer_checkpoints.size <= EXCLUDED.size`,
        [peer, cp.size, cp.root, input.note, result.detail],
      );
      break;
    case 'fork':
    case 'shrink':
      await q.query(
        'UPDATE peer_checkpoints SET status = $2, detail = $3, evidence_note = $4 WHERE peer = $1',
        [peer, result.status, result.detail, input.note],
      );
      break;
  }
  return result;
}
