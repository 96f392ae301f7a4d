import { generateKeyPairSync } from 'node:crypto';
import { formatCheckpoint, signNote, vkeyOf } from '../../../../gateway/ledger';
import { ReferenceTree } from './reference-tree';

/** A peer gateway's log, kept in memory: signs checkpoints and serves proofs like a real one. */
export function peerLog(origin = 'tongban.example/ledger/330100') {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const tree = new ReferenceTree();
  return {
    origin,
    tree,
    vkey: vkeyOf(origin, publicKey),
    grow(n: number, tag = 'peer') {
      for (let i = 0; i < n; i++) tree.append(Buffer.from(`${tag} ${tree.leaves.length}`));
    },
    /** A signed checkpoint for the first `size` leaves (default: all). */
    note(size = tree.leaves.length, root = tree.root(size), key = privateKey): string {
      return signNote(formatCheckpoint({ origin, size, root }), { name: origin, privateKey: key });
    },
    head(size = tree.leaves.length) {
      return { size, root: tree.root(size) };
    },
  };
}
