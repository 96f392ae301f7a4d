import type { Queryable, Store } from '../store';

export interface OutboxJob {
  id: number;
  message_id: string;
  peer: string;
  type: string;
  path: string;
  delegation_id: string | null;
  /** Attempts including this one: also the claim's fencing token (see settle in deliver-one). */
  attempts: number;
  created_at: Date;
  /** The message's exact ledger bytes and issue time, read with the claim. */
  message?: { data: Uint8Array; issued_at: Date };
}

export interface ClaimRequest {
  /** Free worker slots. */
  limit: number;
  leaseMs: number;
  /** Who claims (host/pid/nonce), stored in outbox.claimed_by. */
  worker: string;
  /** Peers not to claim for: open circuits, peers at their in-flight cap. */
  skipPeers: readonly string[];
  /** Claim only for this peer (a half-open circuit's probe). */
  onlyPeer?: string;
  /** Remaining in-flight room per peer; peers absent from the map are limited by `perPeerDefault`. */
  perPeerRoom?: ReadonlyMap<string, number>;
  perPeerDefault?: number;
}

/**
 * Claim due work in ONE statement (autocommit: no BEGIN/COMMIT round trips), with the exact
 * bytes of each message, so a send needs no further read.
 *
 * A row is due when it is pending and its time has come, or in flight with an expired lease
 * (its claimer died). Per-delegation FIFO: a row waits while an earlier row of the same
 * delegation is pending or in flight, so a withdrawal or materials message never overtakes its
 * delegation.create and callbacks leave in seq order. A dead earlier row does not block.
 * `FOR UPDATE SKIP LOCKED` lets several replicas of one city on one PostgreSQL share the outbox
 * without taking the same row; due rows beyond a peer's room are locked for the statement only
 * and stay pending. The lease (`claimed_until`) lets a row claimed by a process that died be
 * taken again. Each claim increments `attempts`, which the claimer then presents when it
 * settles the row: a claimer whose lease ran out and whose row was taken over cannot overwrite
 * the newer claimer's result.
 */
const CLAIM_SQL = `
WITH due AS (
  SELECT o.id, o.peer, o.next_attempt_at FROM outbox o
   WHERE ((o.status = 'pending' AND o.next_attempt_at <= now())
       OR (o.status = 'in_flight' AND o.claimed_until < now()))
     AND NOT (o.peer = ANY($2::text[]))
     AND ($3::text IS NULL OR o.peer = $3::text)
     AND (o.delegation_id IS NULL OR NOT EXISTS (
          SELECT 1 FROM outbox e
           WHERE e.delegation_id = o.delegation_id AND e.id < o.id
             AND e.status IN ('pending', 'in_flight')))
   ORDER BY o.next_attempt_at, o.id
   LIMIT $1
   FOR UPDATE OF o SKIP LOCKED
), ranked AS (
  SELECT id, peer, next_attempt_at,
         row_number() OVER (PARTITION BY peer ORDER BY next_attempt_at, id) AS rn
    FROM due
), room AS (
  SELECT * FROM unnest($6::text[], $7::int4[]) AS r(peer, n)
), claimed AS (
  UPDATE outbox o SET status = 'in_flight', attempts = o.attempts + 1, claimed_by = $5,
         claimed_until = now() + ($4::int * interval '1 millisecond')
    FROM ranked LEFT JOIN room ON room.peer = ranked.peer
   WHERE o.id = ranked.id AND ranked.rn <= COALESCE(room.n, $8::int4)
  RETURNING o.id, o.message_id, o.peer, o.type, o.path, o.delegation_id, o.attempts,
            o.created_at, ranked.next_attempt_at AS due_at
)
SELECT c.*, e.data, m.issued_at FROM claimed c
  LEFT JOIN messages m ON m.id = c.message_id AND m.direction = 'out'
  LEFT JOIN ledger_entries e ON e.idx = m.ledger_index
 ORDER BY c.due_at, c.id`;

export async function claimJobs(store: Store, req: ClaimRequest): Promise<OutboxJob[]> {
  if (req.limit <= 0) return [];
  const room = [...(req.perPeerRoom ?? new Map<string, number>())];
  const r = await store.query<
    OutboxJob & { due_at: Date; data: Uint8Array | null; issued_at: Date | null }
  >(CLAIM_SQL, [
    req.limit,
    [...req.skipPeers],
    req.onlyPeer ?? null,
    req.leaseMs,
    req.worker,
    room.map(([p]) => p),
    room.map(([, n]) => Math.max(0, n)),
    Math.min(req.perPeerDefault ?? req.limit, req.limit),
  ]);
  return r.rows.map(({ due_at: _due, data, issued_at, ...job }) => ({
    ...job,
    id: Number(job.id),
    ...(data && issued_at ? { message: { data, issued_at } } : {}),
  }));
}

/**
 * Give claimed rows back untouched (claimed more than there were free workers for): pending
 * again at once, their claim's attempt not counted. Fenced by the claimer AND its attempt
 * number: the attempt number alone would not do, since giving a row back lowers it again and a
 * later claimer of the row can hold the same number.
 */
export async function releaseJobs(
  store: Store,
  jobs: readonly OutboxJob[],
  worker: string,
): Promise<void> {
  await store.query(
    `UPDATE outbox o SET status = 'pending', attempts = o.attempts - 1, claimed_until = NULL, claimed_by = NULL
       FROM unnest($1::bigint[], $2::int[]) AS j(id, attempts)
      WHERE o.id = j.id AND o.status = 'in_flight' AND o.attempts = j.attempts AND o.claimed_by = $3`,
    [jobs.map((j) => j.id), jobs.map((j) => j.attempts), worker],
  );
}

/** Rows past their retry budget that nobody is working on (e.g. their peer's circuit is open). */
export async function overdueJobs(
  q: Queryable,
  budgetMs: number,
  limit: number,
): Promise<OutboxJob[]> {
  const r = await q.query<OutboxJob>(
    `SELECT id, message_id, peer, type, path, delegation_id, attempts, created_at FROM outbox
      WHERE status = 'pending' AND created_at + ($1::float8 * interval '1 millisecond') < now()
      ORDER BY id LIMIT $2
      FOR UPDATE SKIP LOCKED`,
    [budgetMs, limit],
  );
  return r.rows;
}
