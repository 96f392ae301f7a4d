import type { KeyObject } from 'node:crypto';
import { TongbanError } from '../../errors';
import type { Queryable, Store } from '../../store';
import { frontierRoot } from '../merkle/frontier';
import { formatCheckpoint } from '../note/format-checkpoint';
import { signNote } from '../note/sign-note';
import { consistencyProof } from '../store/consistency-proof';
import { readFrontier } from '../store/head';
import { checkExtends, checkRowMatchesNote } from './extends-check';
import { checkpointAt, latestCheckpoint, type StoredCheckpoint } from './stored-checkpoint';

export interface CheckpointSigner {
  /** Checkpoint origin line: this gateway's log identity. */
  origin: string;
  /** The city's Ed25519 signing key. */
  privateKey: KeyObject;
  /** Key name on the signature line; c2sp.org/tlog-checkpoint says it SHOULD equal the origin. */
  keyName?: string;
}

export interface PublishResult {
  checkpoint: StoredCheckpoint;
  /** False when the head was already signed at this size (nothing new). */
  created: boolean;
}

/**
 * Signs the current tree head as a checkpoint and stores it, WITHOUT holding the head lock:
 * appends go on meanwhile. The head it reads is a committed one, and the tree below a committed
 * size never changes (append-only tables, a head that only grows), so the checkpoint for that
 * size is exactly the stored tree whatever happens next, and two publishers (replicas) that
 * read the same size compute the same root: the primary key keeps one row per size and the
 * later one is told `created: false`. Before signing it proves, from the stored tree, that the
 * head extends the last signed checkpoint, and refuses (ledger_inconsistent) otherwise.
 * Statements run on their own (no transaction needed).
 */
export async function publishCheckpoint(
  q: Store | Queryable,
  signer: CheckpointSigner,
): Promise<PublishResult> {
  // The last checkpoint first, then the head: checkpoints are only ever made of committed heads,
  // so a head read afterwards is at least as large, unless the tree really shrank.
  const last = await latestCheckpoint(q);
  const frontier = await readFrontier(q);
  const head = { size: Number(frontier.size), root: frontierRoot(frontier) };
  if (last) {
    checkRowMatchesNote(last);
    const proof =
      last.size > 0 && last.size < head.size
        ? (await consistencyProof(q, last.size, head.size)).hashes
        : [];
    if (checkExtends(last, head, proof) === 'same') return { checkpoint: last, created: false };
  }
  const note = signNote(formatCheckpoint({ origin: signer.origin, ...head }), {
    name: signer.keyName ?? signer.origin,
    privateKey: signer.privateKey,
  });
  const { rows } = await q.query<{ created_at: Date }>(
    `INSERT INTO ledger_checkpoints (size, root, note) VALUES ($1, $2, $3)
     ON CONFLICT (size) DO NOTHING RETURNING created_at`,
    [head.size, head.root, note],
  );
  const created = rows[0]?.created_at;
  if (created) return { checkpoint: { ...head, note, createdAt: created }, created: true };
  // Another publisher stored this size first: the same root (same tree), its own note.
  const stored = await checkpointAt(q, head.size);
  if (!stored) throw new TongbanError('ledger_inconsistent', `checkpoint ${head.size} vanished`);
  checkExtends(stored, head, []);
  return { checkpoint: stored, created: false };
}
