import { randomUUID } from 'node:crypto';
import type { Gateway } from '../runtime/context';
import { sha256Digest, signEnvelope, type Envelope, type MessageType } from '../signing';
import type { Queryable } from '../store';
import { afterCommit, beforeCommit, takesAfterCommit } from '../store/before-commit';
import type { OutboxJob } from '../delivery/claim';
import { appendMessagesWith } from './ledger-port';
import { messageRows } from './record-message';

/** Where each outgoing message type is delivered on the peer (exchange contract paths). */
export function pathFor(type: MessageType, delegationId?: string): string {
  switch (type) {
    case 'delegation.create':
      return '/exchange/v1/delegations';
    case 'delegation.materials':
      return `/exchange/v1/delegations/${encodeURIComponent(delegationId ?? '')}/materials`;
    case 'delegation.withdrawal':
      return `/exchange/v1/delegations/${encodeURIComponent(delegationId ?? '')}/withdrawal`;
    case 'callback':
      return '/exchange/v1/callbacks';
    case 'penalty.query':
      return '/exchange/v1/penalty-queries';
    default:
      throw new Error(`message type ${type} is not queued for delivery`);
  }
}

export function newEnvelope<B>(
  gw: Gateway,
  type: MessageType,
  to: string,
  body: B,
  caseRef?: string,
): Envelope<B> {
  return {
    id: randomUUID(),
    type,
    from: gw.self.id,
    to,
    contract: gw.contracts.refs.exchange,
    issuedAt: gw.now().toISOString(),
    ...(caseRef ? { caseRef } : {}),
    body,
  };
}

export interface QueuedMessage {
  type: MessageType;
  to: string;
  body: unknown;
  caseRef?: string;
  delegationId?: string;
}

/**
 * Sign a message, append its exact bytes to the ledger, index it and put it in the outbox, all
 * inside the caller's transaction (the transactional outbox). The delivery worker sends it
 * after commit.
 */
export async function queueMessage(gw: Gateway, q: Queryable, m: QueuedMessage): Promise<Envelope> {
  const [env] = await queueMessages(gw, q, [m]);
  return env!;
}

/**
 * queueMessage for several messages in the caller's transaction with the same statements
 * whatever their number: one ledger append (one turn of the head lock) and one statement that
 * writes both the index rows and the outbox rows. Same result as queueMessage for each in order.
 * Inside a group-committed transaction the writes wait until just before its COMMIT and are
 * shared with the other units' messages; the envelopes are signed and returned at once.
 */
export async function queueMessages(
  gw: Gateway,
  q: Queryable,
  ms: readonly QueuedMessage[],
): Promise<Envelope[]> {
  if (ms.length === 0) return [];
  const signed = ms.map((m) => {
    const env = newEnvelope(gw, m.type, m.to, m.body, m.caseRef);
    return { m, env, signed: signEnvelope(env, gw.key) };
  });
  // In a group-committed transaction, every unit's messages are written together just before
  // its COMMIT (gateway/store/before-commit.ts); elsewhere at once.
  let list = deferred.get(q);
  if (!list) {
    const mine: Signed[] = [];
    const deferredOk = beforeCommit(q, FLUSH, async (last) => {
      deferred.delete(q);
      // the transaction's last write: its statement may carry the COMMIT
      await writeQueued(gw, q, mine, last);
    });
    if (!deferredOk) {
      await writeQueued(gw, q, signed);
      return signed.map((s) => s.env);
    }
    deferred.set(q, (list = mine));
  }
  list.push(...signed);
  return signed.map((s) => s.env);
}

type Signed = { m: QueuedMessage; env: Envelope; signed: { bytes: Uint8Array } };

const FLUSH = Symbol('queued messages');

const deferred = new WeakMap<object, Signed[]>();

/**
 * One ledger append, then the index and outbox rows in one statement. Direct hand-off: in a
 * transaction that runs after-commit hooks, a message to a peer the delivery worker takes
 * (`gw.handoff.leaseFor`) is written already claimed by it (attempt 1, with a lease), unless an
 * earlier message of its delegation is still open (per-delegation FIFO: then it waits pending,
 * as the claim would make it wait); after COMMIT the worker gets those rows with their bytes
 * and sends them without a claim. If the process dies first, the lease runs out and any
 * replica claims them as usual.
 */
async function writeQueued(
  gw: Gateway,
  q: Queryable,
  signed: readonly Signed[],
  last = false,
): Promise<void> {
  const paths = signed.map((s) => pathFor(s.m.type, s.m.delegationId));
  const hooks = takesAfterCommit(q);
  const leases = new Map<string, { worker: string; leaseMs: number } | undefined>();
  const leaseOf = (peer: string) => {
    if (!leases.has(peer)) leases.set(peer, gw.handoff.leaseFor(peer));
    return leases.get(peer);
  };
  const seen = new Set<string>(); // within this statement, only a delegation's first message
  const handoff = signed.map((s) => {
    const lease = hooks ? leaseOf(s.m.to) : undefined;
    const d = s.m.delegationId;
    if (!lease || (d !== undefined && seen.has(d))) return null;
    if (d !== undefined) seen.add(d);
    return lease;
  });
  // The ledger append, the index rows and the outbox rows in ONE statement.
  const { rows } = await appendMessagesWith<QueuedRow>(
    q,
    signed.map((s) => ({ bytes: s.signed.bytes, kind: 'message', messageId: s.env.id })),
    (idx) => [
      messageRows(
        signed.map((s, k) => ({
          env: s.env,
          direction: 'out' as const,
          kid: gw.key.kid,
          digest: sha256Digest(s.signed.bytes),
          ledgerIndex: idx[k]!,
          delegationId: s.m.delegationId ?? delegationIdOf(s.m.body),
        })),
      ),
      {
        ...OUTBOX_ROWS,
        params: [
          signed.map((s) => s.env.id),
          signed.map((s) => s.m.to),
          signed.map((s) => s.env.type),
          paths,
          signed.map((s) => s.m.delegationId ?? null),
          handoff.map((l) => l?.worker ?? null),
          handoff.map((l) => l?.leaseMs ?? null),
        ],
      },
    ],
    { commit: last }, // nothing below writes: only after-commit hooks
  );
  // Not a transaction we can follow to its COMMIT (autocommit, or a wrapper's): no hand-off,
  // and the worker is told now (at worst it claims before the COMMIT; its poll finds the rows).
  if (!hooks) gw.kickDelivery();
  const claimed = rows.filter((row) => row.claimed);
  // Rows written pending: the worker claims them once they are committed.
  if (claimed.length < rows.length) afterCommit(q, () => gw.kickDelivery());
  if (claimed.length === 0) return;
  const byId = new Map(signed.map((s, k) => [s.env.id, { s, path: paths[k]! }]));
  const jobs: OutboxJob[] = claimed.map((row) => {
    const { s, path } = byId.get(row.message_id)!;
    return {
      id: Number(row.id),
      message_id: row.message_id,
      peer: s.m.to,
      type: s.env.type,
      path,
      delegation_id: s.m.delegationId ?? null,
      attempts: 1,
      created_at: row.created_at,
      message: { data: s.signed.bytes, issued_at: new Date(s.env.issuedAt) },
    };
  });
  afterCommit(q, () => gw.handoff.take(jobs));
}

function delegationIdOf(body: unknown): string | null {
  const id = (body as { delegationId?: unknown } | null)?.delegationId;
  return typeof id === 'string' ? id : null;
}

interface QueuedRow {
  id: string;
  message_id: string;
  created_at: Date;
  claimed: boolean;
}

/**
 * The outbox rows, attached to the append (with the index rows): claimed by this process's
 * worker (`in_flight`, attempt 1, a lease) where a worker was named and no earlier message of
 * the delegation is still open, else `pending`.
 */
const OUTBOX_ROWS = {
  insert: `INSERT INTO outbox (message_id, peer, type, path, delegation_id, status, attempts, claimed_by, claimed_until)`,
  select: `
SELECT id, peer, type, path, del,
       CASE WHEN pre THEN 'in_flight' ELSE 'pending' END, CASE WHEN pre THEN 1 ELSE 0 END,
       CASE WHEN pre THEN worker END,
       CASE WHEN pre THEN now() + (lease * interval '1 millisecond') END
  FROM (SELECT t.*, t.worker IS NOT NULL AND (t.del IS NULL OR (
               SELECT e.id FROM outbox e WHERE e.delegation_id = t.del
                  AND e.status IN ('pending', 'in_flight') LIMIT 1) IS NULL) AS pre
          FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[],
                      $7::int[]) AS t(id, peer, type, path, del, worker, lease)
        OFFSET 0) AS u`,
  returning: `id::text AS id, message_id, created_at, status = 'in_flight' AS claimed`,
};
