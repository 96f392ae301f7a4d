import type { KeyObject } from 'node:crypto';
import type { Queryable, Store } from '../../store';
import { frontierRoot } from '../merkle/frontier';
import { formatCheckpoint } from '../note/format-checkpoint';
import { signNote } from '../note/sign-note';
import { consistencyProof } from '../store/consistency-proof';
import { readFrontier } from '../store/head';
import { checkExtends, checkRowMatchesNote } from './extends-check';
import { latestCheckpoint, type StoredCheckpoint } from './stored-checkpoint';

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
 * Signs the current tree head as a checkpoint and stores it. Holds the head lock for the few
 * milliseconds this takes, so the signed head is exactly the stored one and publishers on
 * several replicas take turns. Before signing it proves, from the stored tree, that the head
 * extends the last signed checkpoint, and refuses (ledger_inconsistent) otherwise.
 */
export async function publishCheckpoint(
  store: Store | Queryable,
  signer: CheckpointSigner,
): Promise<PublishResult> {
  if ('tx' in store && typeof store.tx === 'function')
    return store.tx((t) => publishCheckpoint(t, signer));
  const q = store;
  const frontier = await readFrontier(q, { lock: true });
  const head = { size: Number(frontier.size), root: frontierRoot(frontier) };
  const last = await latestCheckpoint(q);
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
    'INSERT INTO ledger_checkpoints (size, root, note) VALUES ($1, $2, $3) RETURNING created_at',
    [head.size, head.root, note],
  );
  return {
    checkpoint: { ...head, note, createdAt: (rows[0] as { created_at: Date }).created_at },
    created: true,
  };
}
