import type { Queryable } from '../../store';
import { toBytes } from '../merkle/bytes';

/**
 * Stored subtree hashes completed by appending leaves [from, to): node (L, i) is completed by
 * leaf (i + 1) * 2^L - 1, so per level the indices form one range. One query, each level an
 * index range scan on the primary key: the LATERAL subquery's ORDER BY keeps PostgreSQL from
 * flattening it into a hash join over all of ledger_nodes (measured: 115 ms vs 3 ms per batch
 * at a million entries).
 */
export async function storedNodesCompletedBy(
  q: Queryable,
  from: number,
  to: number,
): Promise<Map<string, Uint8Array>> {
  const levels: number[] = [];
  const lows: number[] = [];
  const highs: number[] = [];
  for (let level = 1, width = 2; width <= to; level++, width *= 2) {
    const lo = Math.floor(from / width);
    const hi = Math.floor(to / width) - 1;
    if (lo > hi) continue;
    levels.push(level);
    lows.push(lo);
    highs.push(hi);
  }
  if (levels.length === 0) return new Map();
  const { rows } = await q.query<{ level: number; idx: number; hash: Uint8Array }>(
    `SELECT n.level::int AS level, n.idx, n.hash
     FROM unnest($1::int2[], $2::int8[], $3::int8[]) AS r(l, lo, hi)
     CROSS JOIN LATERAL (SELECT level, idx, hash FROM ledger_nodes WHERE level = r.l AND idx BETWEEN r.lo AND r.hi ORDER BY idx) n`,
    [levels, lows, highs],
  );
  return new Map(rows.map((r) => [`${r.level}/${r.idx}`, toBytes(r.hash)]));
}
