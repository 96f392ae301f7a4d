import { randomUUID } from 'node:crypto';
import type { Principal } from '../auth/roles';
import { TongbanError } from '../errors';
import { queueMessage } from '../exchange/outbound';
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
  await gw.store.tx(async (q) => {
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
    for (const [city, items] of groups) {
      const delegationId = randomUUID();
      items.forEach((it) => delegationOf.set(it.idx, delegationId));
      await q.query(
        `INSERT INTO delegations (id, case_id, penalising_city, status, record_count, created_at, updated_at)
         VALUES ($1, $2, $3, 'submitted', $4, $5, $5)`,
        [delegationId, caseId, city, items.length, submittedAt],
      );
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
      await queueMessage(gw, q, {
        type: 'delegation.create',
        to: city,
        body,
        caseRef: caseId,
        delegationId,
      });
    }
    for (const [idx, a] of check.records.entries()) {
      await q.query(
        `INSERT INTO case_records (case_id, idx, record, assessment, delegation_id) VALUES ($1, $2, $3, $4, $5)`,
        [
          caseId,
          idx,
          JSON.stringify(input.records[idx]),
          JSON.stringify(a),
          delegationOf.get(idx) ?? null,
        ],
      );
    }
  });
  gw.kickDelivery();
  gw.kickCheckpoint();
  return caseId;
}
