import type { Queryable } from '../../store';
import { toBytes } from '../merkle/bytes';

export interface PeerWitnessState {
  peer: string;
  /** Last good checkpoint seen from the peer. */
  size: number;
  root: Uint8Array;
  note: string;
  seenAt: Date;
  /** 'ok', or the alarm raised ('fork' | 'shrink'), which stays until cleared. */
  status: 'ok' | 'fork' | 'shrink';
  detail: string | null;
  /** The note that raised the alarm, kept as evidence. */
  evidenceNote: string | null;
}

interface Row {
  peer: string;
  size: number;
  root: Uint8Array;
  note: string;
  seen_at: Date;
  status: 'ok' | 'fork' | 'shrink';
  detail: string | null;
  evidence_note: string | null;
}

/** Witness state of every peer, alarms first. */
export async function peerWitnessStatus(q: Queryable): Promise<PeerWitnessState[]> {
  const { rows } = await q.query<Row>(
    `SELECT peer, size, root, note, seen_at, status, detail, evidence_note FROM peer_checkpoints
     ORDER BY status = 'ok', peer`,
  );
  return rows.map((r) => ({
    peer: r.peer,
    size: r.size,
    root: toBytes(r.root),
    note: r.note,
    seenAt: r.seen_at,
    status: r.status,
    detail: r.detail,
    evidenceNote: r.evidence_note,
  }));
}
