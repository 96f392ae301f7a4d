import { bytesEqual } from '../merkle/bytes';
import { emptyRoot } from '../merkle/hash';
import { verifyConsistency } from '../merkle/verify-consistency';
import type { Checkpoint } from '../note/checkpoint';
import { openCheckpoint } from '../note/open-checkpoint';
import { parseVkey } from '../note/vkey';

export type WitnessStatus = 'ok' | 'fork' | 'shrink' | 'bad_signature';

export interface PeerHead {
  size: number;
  root: Uint8Array;
}

export interface WitnessInput {
  /** The peer's pinned verifier key(s): several while it rotates keys. */
  vkey: string | readonly string[];
  /** Expected checkpoint origin; defaults to the (first) vkey's key name. */
  origin?: string;
  /** The last good checkpoint we hold from this peer, if any. */
  previous: PeerHead | null;
  /** The newly received signed checkpoint. */
  note: string;
  /** Consistency proof from previous.size to the new size, as served by the peer. */
  proof: readonly Uint8Array[];
}

export interface WitnessResult {
  status: WitnessStatus;
  detail: string;
  /** The verified checkpoint (absent when the signature did not verify). */
  checkpoint?: Checkpoint;
}

/**
 * Pure witness check of a peer's new checkpoint: signature first (nothing unsigned is looked
 * at), then append-only growth against what we saw before (RFC 9162 §2.1.4.2). A fork is two
 * signed heads that no consistency proof can join; both notes together are evidence of it.
 */
export function witnessPeerCheckpoint(input: WitnessInput): WitnessResult {
  const first = typeof input.vkey === 'string' ? input.vkey : input.vkey[0];
  const origin = input.origin ?? (first === undefined ? undefined : parseVkey(first).name);
  let checkpoint: Checkpoint;
  try {
    checkpoint = openCheckpoint(input.note, input.vkey, origin);
  } catch (e) {
    return { status: 'bad_signature', detail: e instanceof Error ? e.message : String(e) };
  }
  return { ...compareHeads(input.previous, checkpoint, input.proof), checkpoint };
}

function compareHeads(
  prev: PeerHead | null,
  next: Checkpoint,
  proof: readonly Uint8Array[],
): Omit<WitnessResult, 'checkpoint'> {
  if (!prev) return { status: 'ok', detail: `first checkpoint, size ${next.size}` };
  if (next.size < prev.size)
    return { status: 'shrink', detail: `size went from ${prev.size} down to ${next.size}` };
  if (next.size === prev.size) {
    return bytesEqual(next.root, prev.root)
      ? { status: 'ok', detail: `unchanged at size ${next.size}` }
      : { status: 'fork', detail: `two different roots signed for size ${next.size}` };
  }
  const consistent =
    prev.size === 0
      ? bytesEqual(prev.root, emptyRoot())
      : verifyConsistency({
          size1: prev.size,
          size2: next.size,
          root1: prev.root,
          root2: next.root,
          proof,
        });
  return consistent
    ? { status: 'ok', detail: `grew from ${prev.size} to ${next.size}` }
    : {
        status: 'fork',
        detail: `size ${next.size} is not provably an extension of size ${prev.size}`,
      };
}
