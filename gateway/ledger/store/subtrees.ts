import type { Queryable } from '../../store';
import { toBytes } from '../merkle/bytes';
import { foldCover, nodeKey, perfectCover, type NodeId } from '../merkle/cover';
import type { LeafRange } from '../merkle/ranges';
import { isStoredLevel, leavesOf, perfectHash } from '../merkle/stored-levels';

interface NodeRow {
  level: number;
  idx: number;
  hash: Uint8Array;
}

// Complete subtrees come from ledger_nodes, single leaves from ledger_entries: one round trip
// whatever the mix. The LATERAL subquery has a LIMIT, so PostgreSQL cannot flatten it into a
// join that it might run as a hash join over the whole table: every row is one PK probe.
const FETCH_SQL = `
SELECT n.level::int AS level, n.idx, n.hash
FROM unnest($1::int2[], $2::int8[]) AS w(l, i)
CROSS JOIN LATERAL (SELECT level, idx, hash FROM ledger_nodes WHERE level = w.l AND idx = w.i LIMIT 1) n
UNION ALL
SELECT 0, e.idx, e.leaf_hash FROM ledger_entries e WHERE e.idx = ANY($3::int8[])`;

/**
 * Hashes of the given leaf ranges, each folded from its perfect cover (O(log n) subtrees in
 * total, read in ONE query): stored subtrees from ledger_nodes, and subtrees below the lowest
 * stored level (merkle/stored-levels.ts) hashed from their leaves. `size` names the tree the
 * ranges belong to: its last leaf is fetched too, so a size beyond the stored tree is noticed
 * even when no range reaches it. Returns undefined when any needed row is absent.
 */
export async function fetchRangeHashes(
  q: Queryable,
  ranges: readonly LeafRange[],
  size: bigint,
): Promise<Uint8Array[] | undefined> {
  const covers = ranges.map(perfectCover);
  const sentinel: NodeId = { level: 0, index: size - 1n };
  const wanted = new Map<string, NodeId>([[nodeKey(sentinel), sentinel]]);
  for (const id of covers.flat()) for (const x of readAs(id)) wanted.set(nodeKey(x), x);
  const ids = [...wanted.values()];
  const upper = ids.filter((id) => id.level > 0);
  const leaves = ids.filter((id) => id.level === 0);
  const { rows } = await q.query<NodeRow>(FETCH_SQL, [
    upper.map((id) => id.level),
    upper.map((id) => Number(id.index)),
    leaves.map((id) => Number(id.index)),
  ]);
  const found = new Map(rows.map((r) => [`${r.level}/${r.idx}`, toBytes(r.hash)]));
  if (ids.some((id) => !found.has(nodeKey(id)))) return undefined;
  const hashOf = (id: NodeId): Uint8Array => {
    const parts = readAs(id).map((x) => found.get(nodeKey(x)) as Uint8Array);
    return parts.length === 1 ? (parts[0] as Uint8Array) : perfectHash(parts);
  };
  return covers.map((c) => foldCover(c.map(hashOf)));
}

/** The rows a subtree is read from: itself if stored (or a leaf), else its leaves. */
const readAs = (id: NodeId): NodeId[] =>
  id.level === 0 || isStoredLevel(id.level) ? [id] : leavesOf(id);
