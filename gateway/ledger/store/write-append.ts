/**
 * One guarded ledger write (append.ts, stage.ts): the plan of a batch of entries (leaf hashes,
 * new subtree hashes, the new frontier) and the single statement that writes it, only from the
 * head it was planned on.
 */
import { TongbanError } from '../../errors';
import type { Queryable } from '../../store';
import type { CommitWith } from '../../store/commit-with';
import { toHex } from '../merkle/bytes';
import { appendLeaf, type CompletedNode, type Frontier } from '../merkle/frontier';
import { hashLeaf } from '../merkle/hash';
import { isStoredLevel } from '../merkle/stored-levels';
import { attachedCtes, type Attach } from './attach';
import { encodeFrontier } from './head';

export interface EntryMeta {
  /** What the bytes are, e.g. 'envelope' or 'receipt'. */
  kind: string;
  messageId?: string;
}

export interface EntryInput extends Partial<EntryMeta> {
  data: Uint8Array;
}

export interface AppendedEntry {
  index: number;
  leafHash: Uint8Array;
}

const DEFAULT_KIND = 'entry';

export type Plan = ReturnType<typeof planAppend>;

export function joinPlans(a: Plan, b: Plan): Plan {
  return {
    entries: [...a.entries, ...b.entries],
    nodes: [...a.nodes, ...b.nodes],
    frontier: b.frontier,
    data: [...a.data, ...b.data],
    kinds: [...a.kinds, ...b.kinds],
    messageIds: [...a.messageIds, ...b.messageIds],
  };
}

/**
 * The write, guarded by the head it was planned on; undefined (nothing written) if it moved,
 * else the rows the attachment returned.
 */
export async function writeAppend<R>(
  q: Queryable,
  before: Frontier,
  plan: ReturnType<typeof planAppend>,
  attach: Attach | undefined,
  commitWith?: CommitWith,
  strict = false,
): Promise<{ rows: R[] } | undefined> {
  // With the COMMIT, or when it cannot be planned again (staged entries): a moved head must
  // fail the statement (ledger_head_moved(), migration 008).
  const send = commitWith ?? (<T>(sql: string, p: unknown[]) => q.query<T>(sql, p));
  const guard =
    commitWith || strict ? ', CASE WHEN h.n = 0 THEN ledger_head_moved() END AS guard__' : '';
  // The bytes travel as one binary parameter each (entries' data, leaf hashes, node hashes),
  // cut apart by offset in SQL: no text arrays for PostgreSQL to parse, no hex to decode.
  const offsets: number[] = [];
  let at = 1;
  for (const d of plan.data) {
    offsets.push(at);
    at += d.length;
  }
  const params: unknown[] = [
    plan.entries.map((e) => e.index),
    Buffer.concat(plan.data),
    Buffer.concat(plan.entries.map((e) => e.leafHash)),
    plan.kinds,
    plan.messageIds,
    plan.nodes.map((n) => n.level),
    plan.nodes.map((n) => Number(n.index)),
    Buffer.concat(plan.nodes.map((n) => n.hash)),
    Number(plan.frontier.size),
    toHex(encodeFrontier(plan.frontier)),
    Number(before.size),
    toHex(encodeFrontier(before)),
    offsets,
    plan.data.map((d) => d.length),
  ];
  const attached = attach?.(plan.entries.map((e) => e.index)) ?? [];
  if (attached.length === 0) {
    const r = await send<{ n: number }>(
      `${WRITE_CTES}\nSELECT h.n${guard} FROM (SELECT count(*)::int AS n FROM head) AS h`,
      params,
    );
    return r.rows[0]?.n === 1 ? { rows: [] } : undefined;
  }
  const a = attachedCtes(attached, params.length + 1);
  // One row per returned attachment row, each saying the head moved; or one row saying
  // whether it did (the attachment returned nothing, or there is none that returns).
  const sql = `${WRITE_CTES},
${a.ctes}
SELECT h.n AS written__${guard}${a.returning ? ', r.*' : ''}
  FROM (SELECT count(*)::int AS n FROM head) AS h${a.returning ? ` LEFT JOIN ${a.returning} AS r ON true` : ''}`;
  const r = await send<R & { written__: number; returned__: number | null; guard__?: null }>(sql, [
    ...params,
    ...a.params,
  ]);
  if (r.rows[0]?.written__ !== 1) return undefined;
  if (!a.returning) return { rows: [] };
  // LEFT JOIN: an attachment that returned no row still gives one row, without its marker
  const rows = r.rows.filter((row) => row.returned__ !== null);
  return {
    rows: rows.map(({ written__: _w, returned__: _r, guard__: _g, ...row }) => row as unknown as R),
  };
}

/** Pure: leaf hashes, new complete subtrees and the new frontier for a batch of appends. */
export function planAppend(frontier: Frontier, items: readonly EntryInput[]) {
  const entries: AppendedEntry[] = [];
  const nodes: CompletedNode[] = [];
  let f = frontier;
  for (const item of items) {
    const leafHash = hashLeaf(item.data);
    entries.push({ index: Number(f.size), leafHash });
    const step = appendLeaf(f, leafHash);
    nodes.push(...step.completed.filter((n) => isStoredLevel(n.level)));
    f = step.frontier;
  }
  return {
    entries,
    nodes,
    frontier: f,
    data: items.map((i) => i.data),
    kinds: items.map((i) => i.kind ?? DEFAULT_KIND),
    messageIds: items.map((i) => i.messageId ?? null),
  };
}

// Data-modifying CTEs: the head move (only from the expected head), then the entries and new
// subtree hashes only if it moved, in one round trip; one row back means written. The data and
// hashes come as three binary bytea parameters cut apart by offset ($13, $14) and by 32-byte
// position (WITH ORDINALITY): both drivers send a Buffer parameter as binary.
const WRITE_CTES = `
WITH head AS (
  UPDATE ledger_head SET size = $9, frontier = decode($10, 'hex'), updated_at = now()
  WHERE id = 1 AND size = $11 AND frontier = decode($12, 'hex')
  RETURNING 1
), new_entries AS (
  INSERT INTO ledger_entries (idx, data, leaf_hash, kind, message_id)
  SELECT i, substring($2::bytea FROM o FOR len), substring($3::bytea FROM ((n - 1) * 32 + 1)::int FOR 32), k, m
  FROM unnest($1::int8[], $13::int4[], $14::int4[], $4::text[], $5::text[]) WITH ORDINALITY
       AS t(i, o, len, k, m, n)
  WHERE EXISTS (SELECT 1 FROM head)
), new_nodes AS (
  INSERT INTO ledger_nodes (level, idx, hash)
  SELECT l, i, substring($8::bytea FROM ((n - 1) * 32 + 1)::int FOR 32)
  FROM unnest($6::int2[], $7::int8[]) WITH ORDINALITY AS t(l, i, n)
  WHERE EXISTS (SELECT 1 FROM head)
)`;

export function checkInput(item: EntryInput, i: number): void {
  const bad = (field: string, why: string): TongbanError =>
    new TongbanError('invalid_parameter', `ledger entry ${field} ${why}`, {
      pointer: `/${i}/${field}`,
    });
  if (!(item.data instanceof Uint8Array)) throw bad('data', 'must be bytes');
  if (item.kind !== undefined && !/^[\x21-\x7e]{1,64}$/.test(item.kind))
    throw bad('kind', 'must be 1-64 printable ASCII characters');
  if (
    item.messageId !== undefined &&
    (item.messageId.length === 0 || item.messageId.length > 256)
  ) {
    throw bad('messageId', 'must be 1-256 characters');
  }
}
