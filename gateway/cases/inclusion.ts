import { hashLeaf, inclusionProof, verifyInclusion } from '../ledger';
import type { Queryable } from '../store';

/** The latest signed checkpoint, as the timeline checks entries against it. */
export type Head = { size: number; root: Uint8Array } | null;

/**
 * Whether the ledger entry at `index` holding `bytes` is covered by the checkpoint `head`, with
 * its inclusion proof checked as a third party would (RFC 6962 §2.1.1); `detail` says why not.
 */
export async function checkInclusion(
  q: Queryable,
  index: number,
  bytes: Uint8Array,
  head: Head,
): Promise<{ ok: boolean; detail?: string }> {
  if (!head || index >= head.size)
    return { ok: false, detail: 'not yet covered by a signed checkpoint' };
  const proof = await inclusionProof(q, index, head.size);
  const ok = verifyInclusion({
    index,
    size: head.size,
    leafHash: hashLeaf(bytes),
    proof: proof.hashes,
    root: head.root,
  });
  return ok ? { ok } : { ok, detail: 'inclusion proof does not match the checkpoint' };
}
