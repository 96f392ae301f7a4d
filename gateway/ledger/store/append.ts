import { TongbanError } from '../../errors';
import type { Queryable, Store } from '../../store';
import { afterEnd, storeOf } from '../../store/before-commit';
import { commitWithOf, retryTransaction, type CommitWith } from '../../store/commit-with';
import { toHex } from '../merkle/bytes';
import { appendLeaf, type CompletedNode, type Frontier } from '../merkle/frontier';
import { hashLeaf } from '../merkle/hash';
import { isStoredLevel } from '../merkle/stored-levels';
import { attachedCtes, type Attach } from './attach';
import { encodeFrontier, readFrontier } from './head';

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

/**
 * Appends one entry inside the caller's transaction (pass the handle from `store.tx`), so the
 * entry commits or rolls back with the business change it records.
 */
export async function appendEntry(
  q: Queryable,
  data: Uint8Array,
  meta?: EntryMeta,
): Promise<AppendedEntry> {
  const [out] = await appendEntries(q, [{ data, ...meta }]);
  return out as AppendedEntry;
}

export interface AppendOptions {
  /**
   * This append is the transaction's last statement: where the driver can (commit-with.ts) its
   * write goes out together with the COMMIT, one round trip for both. A write planned on a head
   * that has moved then fails the transaction (instead of being planned again under the lock)
   * with an error that asks for the whole transaction to be run again (group commit does).
   */
  commit?: boolean;
  /**
   * `q` is a handle of one transaction that is never reused after it ends (as `store.tx` gives):
   * a second append through it reuses the head it already locked and wrote instead of reading
   * it again. A stale head cannot corrupt anything: the write is guarded by the size.
   */
  sameTransaction?: boolean;
}

/** Heads this process holds locked, by transaction handle (see AppendOptions). */
const lockedHeads = new WeakMap<object, Frontier>();

/** Per store: the head as this process last wrote it (maybe not yet committed, maybe stale). */
const lastWritten = new WeakMap<object, Frontier>();

/**
 * Appends entries in order with one write statement, optimistically: the entries, their new
 * subtree hashes and the head move are written in ONE statement that only takes effect if the
 * head is still exactly (size AND frontier) the one this process last wrote. Usually it is, and
 * the append costs one round trip, holding the head row's lock only from that statement to
 * COMMIT. This process's transactions take turns: the next appender waits (in-process, at
 * most TURN_WAIT_MS) for the previous one's COMMIT, then plans on its head — the guarded UPDATE
 * could not wait for it in PostgreSQL (its WHERE fails on the committed row version, which the
 * uncommitted head does not match yet). If the head moved (another replica appended, or our
 * last write rolled back),
 * nothing is written: the head is read under `FOR UPDATE` and the write made again, which then
 * cannot fail. Comparing the frontier and not only the size matters: after a rolled-back append
 * another writer can reach the same size with different hashes.
 *
 * Given the Store itself rather than a transaction handle, it opens its own transaction: the
 * head lock is only meaningful inside one.
 */
export async function appendEntries(
  q: Queryable | Store,
  items: readonly EntryInput[],
  opts: AppendOptions = {},
): Promise<AppendedEntry[]> {
  if (isStore(q)) return q.tx((t) => appendEntries(t, items));
  return (await appendEntriesWith(q, items, undefined, opts)).entries;
}

/**
 * appendEntries, and in the same statement the rows `attach` gives for the entries' indices
 * (./attach.ts): written only with the entries, planned again if the head had moved. Returns
 * the RETURNING rows of the attachment that has them.
 */
export async function appendEntriesWith<R = Record<string, unknown>>(
  q: Queryable,
  items: readonly EntryInput[],
  attach: Attach | undefined,
  opts: AppendOptions = {},
): Promise<{ entries: AppendedEntry[]; rows: R[] }> {
  items.forEach(checkInput);
  if (items.length === 0) return { entries: [], rows: [] };
  const owner = storeOf(q);
  let before = opts.sameTransaction ? lockedHeads.get(q) : undefined;
  let locked = before !== undefined; // this transaction already holds the head
  before ??= owner ? lastWritten.get(owner) : undefined;
  // This process's transactions take turns to append: a transaction's first append waits until
  // the previous appender has committed (or rolled back), then plans on the head it wrote. Else
  // it would plan on a head PostgreSQL does not yet show it: the guarded write would find
  // nothing to update and the append would cost a locked read and a second write.
  // (Not a transaction that already holds the head: the others wait for it.)
  const holds = locked || lockedHeads.has(q) || headHolders.has(q);
  let release = !holds && owner ? await takeTurn(owner) : undefined;
  try {
    if (release) before = lastWritten.get(owner!) ?? before;
    if (!before) {
      before = await readFrontier(q, { lock: true });
      locked = true;
    }
    const commitWith = opts.commit ? commitWithOf(q) : undefined;
    for (;;) {
      const plan = planAppend(before, items);
      const written = await writeAppend<R>(q, before, plan, attach, commitWith).catch(
        (e: unknown) => {
          if ((e as { code?: string }).code !== HEAD_MOVED) throw e;
          // Nothing was written and the COMMIT rolled back: forget the head we planned on, so
          // the transaction's next run reads it under the lock.
          if (owner) {
            lastWritten.delete(owner);
            retries.set(owner, (retries.get(owner) ?? 0) + 1);
          }
          throw retryTransaction(
            new TongbanError('conflict', 'The ledger head moved; the transaction runs again'),
          );
        },
      );
      if (written) {
        lockedHeads.set(q, plan.frontier); // every append through q keeps it current
        if (owner) lastWritten.set(owner, plan.frontier);
        // the turn ends with this transaction (at once for a statement outside one)
        if (release && afterEnd(q, release)) release = undefined;
        return { entries: plan.entries, rows: written.rows };
      }
      // Under our own lock the head cannot have moved: a bug worth stopping on.
      if (locked)
        throw new TongbanError('ledger_inconsistent', 'ledger_head changed under its lock');
      if (owner) retries.set(owner, (retries.get(owner) ?? 0) + 1);
      before = await readFrontier(q, { lock: true });
      locked = true;
    }
  } finally {
    release?.();
  }
}

/** Per store: optimistic writes that found the head moved and were made again. */
const retries = new WeakMap<object, number>();

/**
 * How many of this store's appends found the head moved (another replica appended, or this
 * process's previous append rolled back) and wrote again under the lock, since start: a
 * contention signal (metric `tongban_ledger_append_retries_total`).
 */
export function ledgerAppendRetries(store: object): number {
  return retries.get(store) ?? 0;
}

/** Per store: the end of the last turn taken (see appendEntriesWith). */
const turns = new WeakMap<object, Promise<void>>();

/** Transaction handles that locked the head without appending (holdsLedgerHead). */
const headHolders = new WeakSet<object>();

/**
 * Tell the appender that this transaction has locked the ledger head itself (officer actions
 * take it first, for the lock order): its appends must not wait for another append's turn,
 * since that one may be waiting for this transaction's lock.
 */
export function holdsLedgerHead(q: Queryable): void {
  headHolders.add(q);
}

/**
 * How long an append waits for the previous appender's turn before going ahead anyway (the turn
 * is an optimisation: the guarded write stays correct without it). Bounds any wait the turn
 * could add behind a lock that PostgreSQL's deadlock detector cannot see, and behind a long
 * transaction.
 */
const TURN_WAIT_MS = 100;

/** Waits for the previous appender of this store to end its turn; call the result to end ours. */
async function takeTurn(owner: object): Promise<() => void> {
  const previous = turns.get(owner) ?? Promise.resolve();
  let release!: () => void;
  const done = new Promise<void>((r) => (release = r));
  turns.set(owner, done);
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    previous,
    new Promise<void>((r) => (timer = setTimeout(r, TURN_WAIT_MS).unref())),
  ]);
  clearTimeout(timer);
  return release;
}

/**
 * The write, guarded by the head it was planned on; undefined (nothing written) if it moved,
 * else the rows the attachment returned.
 */
async function writeAppend<R>(
  q: Queryable,
  before: Frontier,
  plan: ReturnType<typeof planAppend>,
  attach: Attach | undefined,
  commitWith?: CommitWith,
): Promise<{ rows: R[] } | undefined> {
  // With the COMMIT: a moved head must fail the statement (ledger_head_moved(), migration 008).
  const send = commitWith ?? (<T>(sql: string, p: unknown[]) => q.query<T>(sql, p));
  const guard = commitWith ? ', CASE WHEN h.n = 0 THEN ledger_head_moved() END AS guard__' : '';
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
function planAppend(frontier: Frontier, items: readonly EntryInput[]) {
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

/** SQLSTATE of ledger_head_moved() (migration 008). */
const HEAD_MOVED = 'TB409';

function checkInput(item: EntryInput, i: number): void {
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

function isStore(q: Queryable | Store): q is Store {
  return typeof (q as Partial<Store>).tx === 'function';
}
