import { TongbanError } from '../errors';
import type { HandlerOutcome, InboundHandler } from '../exchange/inbound';
import type { Gateway } from '../runtime/context';
import type { AttachedInsert } from '../ledger';
import type { Envelope } from '../signing';
import type { Queryable } from '../store';
import { refreshCaseStatus } from './case-updates';
import { changeInboxStatus, lockInboxItem } from './callbacks';
import { canTransition, isTerminal, type DelegationStatus } from './transitions';
import type {
  CallbackBody,
  DelegationCreateBody,
  DelegationViewBody,
  MaterialsSupplyBody,
  PenaltyAnswerBody,
  PenaltyQueryBody,
  WithdrawalBody,
} from './types';

type Handler = (q: Queryable, env: Envelope) => Promise<HandlerOutcome>;

/** The inbox rows of arriving delegations, in message order (one INSERT for all). */
function inboxRows(gw: Gateway, items: readonly { env: Envelope }[]): AttachedInsert {
  const bodies = items.map(({ env }) => {
    const b = env.body as DelegationCreateBody;
    if (b.registrationCity !== env.from) {
      throw new TongbanError('validation_failed', 'registrationCity must be the sending city', {
        pointer: '/body/registrationCity',
      });
    }
    return b;
  });
  return {
    insert:
      'INSERT INTO inbox_items (id, case_id, registration_city, company, records, materials, status, received_at, updated_at)',
    select: `SELECT id, case_id, city, company::jsonb, records::jsonb, materials::jsonb, 'delivered', $7::timestamptz, $7::timestamptz
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])
              WITH ORDINALITY AS t(id, case_id, city, company, records, materials, n)
        ORDER BY n`,
    params: [
      bodies.map((b) => b.delegationId),
      bodies.map((b) => b.caseId),
      items.map(({ env }) => env.from),
      bodies.map((b) => JSON.stringify(b.company)),
      bodies.map((b) => JSON.stringify(b.records)),
      bodies.map((b) => JSON.stringify(b.materials)),
      gw.now().toISOString(),
    ],
  };
}

/** Penalising side: a delegation arrives and lands in the officers' inbox (manual adapter). */
export function onDelegationCreate(gw: Gateway): InboundHandler {
  const one: Handler = async (q, env) => (await many(q, [{ env }]))[0]!;
  /** Several at once: one INSERT for all; only ids already held are looked at one by one. */
  const many = async (
    q: Queryable,
    items: readonly { env: Envelope }[],
  ): Promise<HandlerOutcome[]> => {
    const rows = inboxRows(gw, items);
    // In order, like one INSERT per message: of two rows with one id the first is inserted.
    const ins = await q.query<{ id: string }>(
      `${rows.insert} ${rows.select} ON CONFLICT (id) DO NOTHING RETURNING id`,
      [...rows.params],
    );
    const inserted = new Set(ins.rows.map((r) => r.id));
    const out: HandlerOutcome[] = [];
    for (const { env } of items) {
      const b = env.body as DelegationCreateBody;
      if (inserted.delete(b.delegationId)) {
        out.push({ result: { status: 'delivered' } });
        continue;
      }
      const seen = (
        await q.query<{ registration_city: string; status: string }>(
          'SELECT registration_city, status FROM inbox_items WHERE id = $1',
          [b.delegationId],
        )
      ).rows[0]!;
      // The same delegation re-issued under a new message id (its first copy outlived the
      // freshness window unacknowledged): acknowledge it again, never a second delegation.
      if (seen.registration_city !== env.from) {
        throw new TongbanError('conflict', `Delegation ${b.delegationId} was already received`);
      }
      out.push({ result: { status: seen.status, duplicate: true } });
    }
    return out;
  };
  /** Never seen: the rows go with the append that logs the messages; a held id fails it. */
  const fresh = (items: readonly { env: Envelope }[]) => ({
    rows: inboxRows(gw, items),
    outcomes: items.map(() => ({ result: { status: 'delivered' } })),
  });
  return Object.assign(one, { many, fresh });
}

async function ownInboxItem(q: Queryable, env: Envelope, id: string) {
  const item = await lockInboxItem(q, id);
  if (!item || item.registration_city !== env.from)
    throw new TongbanError('not_found', `No delegation ${id} from city ${env.from}`);
  return item;
}

/** Penalising side: the registration city answers a materials request; review resumes. */
export function onMaterials(gw: Gateway): Handler {
  return async (q, env) => {
    const b = env.body as MaterialsSupplyBody;
    const item = await ownInboxItem(q, env, b.delegationId);
    const held = new Set((item.materials as { sha256: string }[]).map((m) => m.sha256));
    if (item.status !== 'materials_requested' && b.materials.every((m) => held.has(m.sha256))) {
      // A re-issued copy of materials already applied.
      return { result: { status: item.status, duplicate: true } };
    }
    if (item.status !== 'materials_requested') {
      throw new TongbanError(
        'illegal_transition',
        `Delegation ${b.delegationId} is ${item.status}; no materials were requested`,
      );
    }
    await changeInboxStatus(gw, q, item, 'under_review', {
      materials: [...item.materials, ...b.materials],
      materialsRequested: [],
    });
    return { result: { status: 'under_review' } };
  };
}

/** Penalising side: the company withdrew. A decided delegation stays as it is (and says so). */
export function onWithdrawal(gw: Gateway): Handler {
  return async (q, env) => {
    const b = env.body as WithdrawalBody;
    const item = await ownInboxItem(q, env, b.delegationId);
    if (!canTransition(item.status, 'withdrawn'))
      return { result: { applied: false, status: item.status } };
    await changeInboxStatus(gw, q, item, 'withdrawn', {
      reason: b.reason ?? 'withdrawn by the company',
    });
    return { result: { applied: true, status: 'withdrawn' } };
  };
}

/** Penalising side: the registration city asks for the current status (signed view). */
export function onStatusQuery(): Handler {
  return async (q, env) => {
    const id = (env.body as { delegationId: string }).delegationId;
    const r = await q.query<{
      status: DelegationStatus;
      seq: number;
      reason: string | null;
      updated_at: Date;
      registration_city: string;
      materials_requested: string[];
    }>(
      'SELECT status, seq, reason, updated_at, registration_city, materials_requested FROM inbox_items WHERE id = $1',
      [id],
    );
    const row = r.rows[0];
    if (!row || row.registration_city !== env.from)
      throw new TongbanError('not_found', `No delegation ${id} from city ${env.from}`);
    const body: DelegationViewBody = {
      delegationId: id,
      status: row.status,
      seq: row.seq,
      ...(row.reason ? { reason: row.reason } : {}),
      ...(row.materials_requested.length ? { materialsRequested: row.materials_requested } : {}),
      updatedAt: new Date(row.updated_at).toISOString(),
    };
    return { response: { type: 'delegation.view', body } };
  };
}

/** Registration side: apply a status callback unless a newer one was already applied. */
export function onCallback(gw: Gateway): Handler {
  return async (q, env) => {
    const b = env.body as CallbackBody;
    gw.witness(env.from, b.checkpoint);
    const r = await q.query<{
      case_id: string;
      penalising_city: string;
      seq: number;
      status: DelegationStatus;
    }>('SELECT case_id, penalising_city, seq, status FROM delegations WHERE id = $1 FOR UPDATE', [
      b.delegationId,
    ]);
    const d = r.rows[0];
    if (!d || d.penalising_city !== env.from)
      throw new TongbanError(
        'not_found',
        `No delegation ${b.delegationId} sent to city ${env.from}`,
      );
    if (b.seq <= d.seq) return { result: { applied: false, reason: 'stale', currentSeq: d.seq } };
    const at = gw.now().toISOString();
    await q.query(
      `UPDATE delegations SET status = $2, seq = $3, reason = $4, materials_requested = $5, sync_targets = $6, updated_at = $7,
              received_at = COALESCE(received_at, $7) WHERE id = $1`,
      [
        b.delegationId,
        b.status,
        b.seq,
        b.reason ?? null,
        JSON.stringify(b.materialsRequested ?? []),
        JSON.stringify(b.syncTargets ?? []),
        at,
      ],
    );
    await refreshCaseStatus(q, d.case_id, at);
    return { result: { applied: true, status: b.status, terminal: isTerminal(b.status) } };
  };
}

/** Any member: answer a federated penalty lookup from the records this city holds. */
export function onPenaltyQuery(gw: Gateway): Handler {
  return async (q, env) => {
    const b = env.body as PenaltyQueryBody;
    const r = await q.query<{ record: PenaltyAnswerBody['records'][number] }>(
      'SELECT record FROM penalty_records WHERE uscc = $1 ORDER BY authority, decision_no_norm',
      [b.uscc],
    );
    const body: PenaltyAnswerBody = {
      uscc: b.uscc,
      city: gw.self.id,
      records: r.rows.map((x) => x.record),
    };
    return { response: { type: 'penalty.answer', body } };
  };
}
