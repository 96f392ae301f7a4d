import type { Queryable } from '../../store';

/**
 * Operator action after investigating a fork or shrink alarm: mark the peer 'ok' again. The
 * evidence note stays in the row; the next checkpoint is still checked against the last good
 * head. Returns false when the peer has no row.
 */
export async function clearPeerAlarm(q: Queryable, peer: string, reason: string): Promise<boolean> {
  const r = await q.query(
    `UPDATE peer_checkpoints SET status = 'ok', detail = $2 WHERE peer = $1`,
    [peer, `alarm cleared: ${reason}`],
  );
  return r.rowCount === 1;
}
