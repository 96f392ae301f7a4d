import { isAdapterError } from '../errors';
import type { ContractField } from '../mapping/contract-fields';
import { getPlain, type Segment } from '../mapping/paths';
import type { RestAdapter } from '../rest/rest-adapter';
import { clockRow, type DoctorRow } from './types';

const PROBE_ID = 'tongban-doctor-probe';
const DEFAULT_PROBE_USCC = '91350100M000100Y43';

export interface RestDoctorInput {
  adapter: RestAdapter;
  file: string;
  env: Readonly<Record<string, string | undefined>>;
  now: () => Date;
}

/**
 * A city reached through its platform: credentials, reachability, clock, and the mapping held
 * against what the live platform answers (a status query for an application that does not
 * exist, and a penalty lookup of `probeUscc`, both read-only).
 */
export async function restChecks(o: RestDoctorInput): Promise<DoctorRow[]> {
  const a = o.adapter;
  const opts = a.options;
  const rows: DoctorRow[] = [];
  const auth = opts.authHeader;
  if (auth) {
    if (!o.env[auth.valueEnv]) {
      rows.push({
        check: 'credentials',
        result: 'fail',
        detail: `environment variable ${auth.valueEnv} is not set`,
        fix: `export ${auth.valueEnv}=<the token the platform issued> before starting the gateway`,
      });
      return rows;
    }
    rows.push({
      check: 'credentials',
      result: 'pass',
      detail: `${auth.name} from ${auth.valueEnv}`,
    });
  }

  // Status endpoint, for an application that cannot exist: reachable, credentials, clock, codes.
  let status: { status: number; date?: string; body: string } | undefined;
  let statusError: unknown;
  try {
    status = (await a.call('status', { delegationId: PROBE_ID })).evidence.response;
  } catch (e) {
    statusError = e;
    if (isAdapterError(e) && e.evidence && e.evidence.response.status > 0)
      status = e.evidence.response;
  }
  if (!status) {
    rows.push({
      check: 'reachable',
      result: 'fail',
      detail: (statusError as Error).message,
      fix: `check adapter.options.baseUrl in ${o.file} (${a.baseUrl}), DNS, firewall or VPN to the platform`,
    });
    return rows;
  }
  rows.push({
    check: 'reachable',
    result: 'pass',
    detail: `${a.baseUrl} answered HTTP ${status.status}`,
  });
  if (status.status === 401 || status.status === 403) {
    rows.push({
      check: 'credentials',
      result: 'fail',
      detail: `the platform refused the request: HTTP ${status.status} ${status.body.slice(0, 120)}`,
      fix: auth
        ? `the value of ${auth.valueEnv} is wrong or expired: ask the platform for a new token`
        : `the platform wants credentials: add adapter.options.authHeader to ${o.file}`,
    });
    return rows;
  }
  rows.push(clockRow(status.date, o.now(), a.baseUrl));
  const notFound = isAdapterError(statusError) && statusError.code === 'not_found';
  rows.push(
    notFound
      ? {
          check: 'mapping: status',
          result: 'pass',
          detail: `${opts.endpoints.status} answers an unknown application as not found`,
        }
      : {
          check: 'mapping: status',
          result: 'fail',
          detail: statusError
            ? (statusError as Error).message
            : `an unknown application was answered as found: ${status.body.slice(0, 160)}`,
          fix: "check endpoints.status and response (code, notFound, data) against the platform's API documentation",
        },
  );

  // Penalty lookup: the live record shape against every mapped record field.
  if (!opts.endpoints.penalties) {
    rows.push({
      check: 'mapping: records',
      result: 'skip',
      detail: 'no endpoints.penalties: the live record shape cannot be checked',
    });
    return rows;
  }
  const uscc = opts.probeUscc ?? DEFAULT_PROBE_USCC;
  let data: unknown;
  try {
    data = (await a.call('penalties', { uscc })).data;
  } catch (e) {
    rows.push({
      check: 'mapping: records',
      result: 'fail',
      detail: (e as Error).message,
      fix: "check endpoints.penalties and response against the platform's API documentation",
    });
    return rows;
  }
  const items = Array.isArray(data) ? (data as unknown[]) : [];
  if (!Array.isArray(data)) {
    rows.push({
      check: 'mapping: records',
      result: 'fail',
      detail: 'the penalty answer is not a list',
      fix: 'point response.data at the list of records',
    });
    return rows;
  }
  if (items.length === 0) {
    rows.push({
      check: 'mapping: records',
      result: 'skip',
      detail: `the platform holds no records for ${uscc}`,
      fix: `set adapter.options.probeUscc in ${o.file} to a company with records there`,
    });
    return rows;
  }
  // Named as the platform's submission names them (cfxx[].cfjdsh): records are its list items.
  const list = a.mapping.sections.fields?.platformArrayOf('records[]');
  const full = (p: string) => (list ? `${list}.${p}` : p);
  const missing: string[] = [];
  const optionalMissing: string[] = [];
  for (const p of a.mapping.records.pairs) {
    if (items.some((it) => has(it, p.platform))) continue;
    const name = `${full(segs(p.platform))} (${p.field.path})`;
    (required(p.field) ? missing : optionalMissing).push(name);
  }
  const mappedNames = new Set(a.mapping.records.pairs.map((p) => segs(p.platform)));
  const unmapped = [...new Set(items.flatMap((it) => leafPaths(it)))]
    .filter((k) => !mappedNames.has(k))
    .map(full);
  if (missing.length > 0) {
    rows.push({
      check: 'mapping: records',
      result: 'fail',
      detail: `required field(s) absent from the live records of ${uscc}: ${missing.join(', ')}`,
      fix: `fix the platform names of these fields under adapter.options.fields in ${o.file}${unmapped.length ? ` (the platform sends unmapped: ${unmapped.join(', ')})` : ''}`,
    });
    return rows;
  }
  try {
    a.records({
      data,
      evidence: {
        adapter: 'rest',
        city: a.city,
        operation: 'penalties',
        request: { method: 'GET', url: '' },
        response: { status: 200, body: '' },
      },
    });
  } catch (e) {
    rows.push({
      check: 'mapping: records',
      result: 'fail',
      detail: (e as Error).message,
      fix: 'check the code lists and date formats against the values the platform sends',
    });
    return rows;
  }
  rows.push({
    check: 'mapping: records',
    result: 'pass',
    detail: `${items.length} live record(s) of ${uscc} map to valid contract PenaltyRecords`,
  });
  if (optionalMissing.length || unmapped.length) {
    rows.push({
      check: 'mapping: coverage',
      result: 'warn',
      detail: [
        optionalMissing.length ? `mapped but not sent: ${optionalMissing.join(', ')}` : '',
        unmapped.length ? `sent but not mapped: ${unmapped.join(', ')}` : '',
      ]
        .filter(Boolean)
        .join('; '),
    });
  }
  return rows;
}

const segs = (s: readonly Segment[]) => s.map((x) => x.name + (x.array ? '[]' : '')).join('.');

function required(f: ContractField): boolean {
  return f.required && !f.nullable;
}

/** Does the item hold a value at this path (through lists: in any element)? */
function has(obj: unknown, path: readonly Segment[]): boolean {
  const i = path.findIndex((s) => s.array);
  if (i === -1) {
    const v = getPlain(obj, path);
    return v !== undefined && v !== null && v !== '';
  }
  const arr = getPlain(obj, path.slice(0, i + 1));
  return Array.isArray(arr) && arr.some((x) => has(x, path.slice(i + 1)));
}

/** The leaf field paths of a platform object, lists written with []. */
function leafPaths(obj: unknown, prefix = ''): string[] {
  if (!obj || typeof obj !== 'object' || Array.isArray(obj)) return [];
  return Object.entries(obj as Record<string, unknown>).flatMap(([k, v]) => {
    const p = prefix ? `${prefix}.${k}` : k;
    if (Array.isArray(v) && v.some((x) => x && typeof x === 'object'))
      return v.flatMap((x) => leafPaths(x, `${p}[]`));
    if (v && typeof v === 'object' && !Array.isArray(v)) return leafPaths(v, p);
    return [p];
  });
}
