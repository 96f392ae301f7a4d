import { randomUUID } from 'node:crypto';
import type { Principal } from '../auth/roles';
import { TongbanError } from '../errors';
import { queueMessages, type QueuedMessage } from '../exchange/outbound';
import { groupCommit } from '../store/group-commit';
import type { Gateway } from '../runtime/context';
import { assertUscc } from '../rules';
import { checkEligibility } from './assess';
import type { CaseCreate, DelegationCreateBody, PenaltyRecordWire } from './types';

const FILED = new Set(['eligible_now']);

/**
 * Register locally: file a case at the registration city. Records are pre-checked, grouped into
 * one delegation per penalising city and forwarded; records that cannot be filed are kept with
 * their outcome (never dropped). Case, delegations, ledger entries and outbox rows are written
 * in one transaction.
 */
export async function createCase(gw: Gateway, who: Principal, input: CaseCreate): Promise<string> {
  assertUscc(input.company.uscc, '/company/uscc');
  const allowEarly = gw.self.intake?.allowNotYetEligible === true;
  const check = checkEligibility(
    gw.cities,
    { records: input.records, requestDate: input.requestDate },
    gw.now(),
    allowEarly,
  );
  const fileable = (o: string) => FILED.has(o) || (allowEarly && o === 'not_yet_eligible');
  const groups = new Map<string, { idx: number; record: PenaltyRecordWire }[]>();
  check.records.forEach((a, idx) => {
    const record = input.records[idx] as PenaltyRecordWire;
    if (!fileable(a.outcome) || !a.routeCity) return;
    const list = groups.get(a.routeCity) ?? [];
    list.push({ idx, record });
    groups.set(a.routeCity, list);
  });
  if (groups.size === 0) {
    throw new TongbanError('not_eligible', 'No record of this application can be filed now', {
      extra: {
        outcomes: check.records.map((r, i) => ({
          pointer: `/records/${i}`,
          outcome: r.outcome,
          eligibleFrom: r.eligibleFrom,
          reason: r.reason,
        })),
      },
    });
  }
  const warnings = check.records
    .map((r, i) =>
      fileable(r.outcome) && r.outcome === 'eligible_now'
        ? null
        : `/records/${i}: ${r.outcome}: ${r.reason}`,
    )
    .filter((w): w is string => w !== null);

  const caseId = randomUUID();
  const { idNumber, ...applicant } = input.applicant;
  const submittedAt = gw.now().toISOString();
  // One statement per table whatever the number of delegations and records, and group
  // commit: cases filed together share one transaction and one turn of the ledger head
  // (gateway/store/group-commit.ts); each caller is answered after its commit. The unit is safe
  // to run again after a rollback (group commit does so to isolate a failure).
  await groupCommit(gw.store).run(async (q) => {
    await q.query(
      `INSERT INTO cases (id, uscc, company_name, registration_city, status, applicant, applicant_id_number, materials,
                          rules_version, request_date, external_ref, warnings, created_by, created_at, updated_at)
       VALUES ($1, $2, $3, $4, 'open', $5, $6, $7, $8, $9, $10, $11, $12, $13, $13)`,
      [
        caseId,
        input.company.uscc,
        input.company.name,
        gw.self.id,
        JSON.stringify(applicant),
        idNumber ?? null,
        JSON.stringify(input.materials),
        check.rulesVersion,
        check.requestDate,
        input.externalRef ?? null,
        JSON.stringify(warnings),
        who.sub,
        submittedAt,
      ],
    );
    const delegationOf = new Map<number, string>();
    const delegations: { id: string; city: string; count: number }[] = [];
    const messages: QueuedMessage[] = [];
    for (const [city, items] of groups) {
      const delegationId = randomUUID();
      items.forEach((it) => delegationOf.set(it.idx, delegationId));
      delegations.push({ id: delegationId, city, count: items.length });
      const body: DelegationCreateBody = {
        delegationId,
        caseId,
        registrationCity: gw.self.id,
        company: input.company,
        applicant: { name: applicant.name, role: applicant.role },
        records: items.map((it) => it.record),
        materials: input.materials,
        rulesVersion: check.rulesVersion,
        submittedAt,
      };
      messages.push({ type: 'delegation.create', to: city, body, caseRef: caseId, delegationId });
    }
    if (delegations.length > 0) {
      await q.query(
        `INSERT INTO delegations (id, case_id, penalising_city, status, record_count, created_at, updated_at)
         SELECT id, $4, city, 'submitted', n, $5, $5
           FROM unnest($1::text[], $2::text[], $3::int4[]) AS d(id, city, n)`,
        [
          delegations.map((d) => d.id),
          delegations.map((d) => d.city),
          delegations.map((d) => d.count),
          caseId,
          submittedAt,
        ],
      );
      await queueMessages(gw, q, messages);
    }
    await q.query(
      `INSERT INTO case_records (case_id, idx, record, assessment, delegation_id)
       SELECT $1, idx, record::jsonb, assessment::jsonb, delegation_id
         FROM unnest($2::int4[], $3::text[], $4::text[], $5::text[]) AS r(idx, record, assessment, delegation_id)`,
      [
        caseId,
        check.records.map((_, idx) => idx),
        check.records.map((_, idx) => JSON.stringify(input.records[idx])),
        check.records.map((a) => JSON.stringify(a)),
        check.records.map((_, idx) => delegationOf.get(idx) ?? null),
      ],
    );
  });
  // (the delegations reach the delivery worker by their own after-commit hook: outbound.ts)
  gw.kickCheckpoint();
  return caseId;
}
