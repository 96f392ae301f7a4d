import { TongbanError } from '../errors';
import type { Gateway } from '../runtime/context';
import type { Queryable } from '../store';
import { slaClock } from './sla-clock';
import type { DelegationStatus } from './transitions';
import type { CaseStatus } from './case-status';
import type { CaseListWire, CaseSummaryWire, CaseWire, DelegationWire } from './types';

interface CaseRow {
  id: string;
  uscc: string;
  company_name: string;
  registration_city: string;
  status: CaseStatus;
  applicant: { name: string; role: string };
  materials: CaseWire['materials'];
  rules_version: string;
  warnings: string[];
  created_at: Date;
  updated_at: Date;
}

interface DelegationRow {
  id: string;
  case_id: string;
  penalising_city: string;
  status: DelegationStatus;
  seq: number;
  reason: string | null;
  materials_requested: string[];
  sync_targets: string[];
  record_count: number;
  received_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

function toDelegation(gw: Gateway, d: DelegationRow): DelegationWire {
  return {
    id: d.id,
    caseId: d.case_id,
    penalisingCity: d.penalising_city,
    penalisingCityName: gw.cities.nameOf(d.penalising_city),
    status: d.status,
    seq: d.seq,
    recordCount: d.record_count,
    reason: d.reason,
    materialsRequested: d.materials_requested,
    syncTargets: d.sync_targets,
    sla: slaClock(gw.cities, d.penalising_city, d.received_at, d.status, gw.now()),
    createdAt: new Date(d.created_at).toISOString(),
    updatedAt: new Date(d.updated_at).toISOString(),
  };
}

function summary(c: CaseRow, ds: DelegationWire[]): CaseSummaryWire {
  return {
    id: c.id,
    uscc: c.uscc,
    companyName: c.company_name,
    status: c.status,
    registrationCity: c.registration_city,
    penalisingCities: ds.map((d) => d.penalisingCity),
    delegationCount: ds.length,
    overdue: ds.some((d) => d.sla?.overdue === true),
    createdAt: new Date(c.created_at).toISOString(),
    updatedAt: new Date(c.updated_at).toISOString(),
  };
}

async function delegationsOf(
  gw: Gateway,
  q: Queryable,
  caseIds: string[],
): Promise<Map<string, DelegationWire[]>> {
  const out = new Map<string, DelegationWire[]>();
  if (caseIds.length === 0) return out;
  const r = await q.query<DelegationRow>(
    'SELECT * FROM delegations WHERE case_id = ANY($1::text[]) ORDER BY created_at, penalising_city',
    [caseIds],
  );
  for (const d of r.rows) {
    const list = out.get(d.case_id) ?? [];
    list.push(toDelegation(gw, d));
    out.set(d.case_id, list);
  }
  return out;
}

export interface CaseFilter {
  status?: CaseStatus;
  penalisingCity?: string;
  overdue?: boolean;
  q?: string;
  page: number;
  pageSize: number;
}

/** The case list of this registration city: filtered, with overdue computed from SLA clocks. */
export async function listCases(gw: Gateway, f: CaseFilter): Promise<CaseListWire> {
  const where: string[] = [];
  const args: unknown[] = [];
  if (f.status) where.push(`c.status = $${args.push(f.status)}`);
  if (f.q)
    where.push(
      `(c.uscc = $${args.push(f.q.toUpperCase())} OR c.company_name ILIKE $${args.push(`%${f.q.replace(/[%_\\]/g, '\\$&')}%`)})`,
    );
  if (f.penalisingCity)
    where.push(
      `EXISTS (SELECT 1 FROM delegations d WHERE d.case_id = c.id AND d.penalising_city = $${args.push(f.penalisingCity)})`,
    );
  const rows = (
    await gw.store.query<CaseRow>(
      `SELECT * FROM cases c ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY c.created_at DESC, c.id`,
      args,
    )
  ).rows;
  const ds = await delegationsOf(
    gw,
    gw.store,
    rows.map((r) => r.id),
  );
  let items = rows.map((c) => summary(c, ds.get(c.id) ?? []));
  if (f.overdue !== undefined) items = items.filter((i) => i.overdue === f.overdue);
  const counts: Record<string, number> = {};
  for (const r of (
    await gw.store.query<{ status: string; n: number }>(
      'SELECT status, count(*)::int AS n FROM cases GROUP BY status',
    )
  ).rows) {
    counts[r.status] = r.n;
  }
  const start = (f.page - 1) * f.pageSize;
  return {
    items: items.slice(start, start + f.pageSize),
    total: items.length,
    page: f.page,
    pageSize: f.pageSize,
    counts,
  };
}

/** One case with its records, their assessments and its delegations. */
export async function getCase(gw: Gateway, id: string): Promise<CaseWire> {
  const c = (await gw.store.query<CaseRow>('SELECT * FROM cases WHERE id = $1', [id])).rows[0];
  if (!c) throw new TongbanError('not_found', `No case ${id} at city ${gw.self.id}`);
  const ds = (await delegationsOf(gw, gw.store, [id])).get(id) ?? [];
  const records = (
    await gw.store.query<{ record: never; assessment: never; delegation_id: string | null }>(
      'SELECT record, assessment, delegation_id FROM case_records WHERE case_id = $1 ORDER BY idx',
      [id],
    )
  ).rows.map((r) => ({
    record: r.record,
    assessment: r.assessment,
    delegationId: r.delegation_id,
  }));
  return {
    ...summary(c, ds),
    rulesVersion: c.rules_version,
    applicant: c.applicant,
    materials: c.materials,
    records,
    delegations: ds,
    warnings: c.warnings,
  };
}
