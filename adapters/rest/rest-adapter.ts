import { request } from 'undici';
import type { DelegationStatus } from '../../gateway/cases/transitions';
import type {
  DelegationCreateBody,
  MaterialsSupplyBody,
  PenaltyRecordWire,
  WithdrawalBody,
} from '../../gateway/cases/types';
import type { RestAdapterOptions } from '../../gateway/config/city-config';
import { isRetryable, retryAfterMs } from '../../gateway/delivery/backoff';
import { contracts } from '../../gateway/http/contracts';
import { AdapterError } from '../errors';
import { compileMapping, type CompiledMapping } from '../mapping/compile';
import { contractFields } from '../mapping/contract-fields';
import { MappingError } from '../mapping/field-map';
import { getPlain, parsePath } from '../mapping/paths';
import type { SectionName } from '../mapping/sections';
import type {
  Answered,
  CityAdapter,
  Delivered,
  Evidence,
  Operation,
  Outgoing,
  StatusReport,
  Withdrawn,
} from '../types';

export const DEFAULT_POLL_INTERVAL_MS = 5000;
const DEFAULT_TIMEOUT_MS = 10_000;
const STATUSES = (contractFields('Callback').get('status')?.enum ?? []) as readonly string[];

export interface RestAdapterContext {
  /** The city's time zone (date-times are written in it). */
  timezone?: string;
  /** Instead of options.baseUrl (the sandbox's loopback simulator). */
  baseUrl?: string;
  /** Where the auth header's value is read (the process environment in a gateway). */
  env?: Readonly<Record<string, string | undefined>>;
  now?: () => Date;
}

export interface Called {
  data: unknown;
  evidence: Evidence;
}

/**
 * A city credit platform with its own JSON API, reached through the config's mapping: contract
 * fields renamed to the platform's, code lists both ways, dates in the platform's format, an
 * auth header from the environment. It never pushes: the gateway polls `status`.
 */
export class RestAdapter implements CityAdapter {
  readonly kind = 'rest' as const;
  readonly statusMode = 'pull' as const;
  readonly mapping: CompiledMapping;
  readonly baseUrl: string;
  readonly pollIntervalMs: number;

  constructor(
    readonly city: string,
    readonly options: RestAdapterOptions,
    private readonly ctx: RestAdapterContext = {},
  ) {
    this.mapping = compileMapping(options, ctx.timezone);
    this.baseUrl = (ctx.baseUrl ?? options.baseUrl).replace(/\/+$/, '');
    this.pollIntervalMs = options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
  }

  private now(): Date {
    return this.ctx.now?.() ?? new Date();
  }

  async deliver(msg: Outgoing<DelegationCreateBody>): Promise<Answered<Delivered>> {
    const body = this.toPlatform('fields', msg.envelope.body);
    const a = await this.call('deliver', {}, body);
    return { value: { receivedAt: this.now().toISOString() }, evidence: a.evidence };
  }

  async status(delegationId: string): Promise<Answered<StatusReport>> {
    const a = await this.call('status', { delegationId });
    return { value: this.report(delegationId, a), evidence: a.evidence };
  }

  async supplyMaterials(msg: Outgoing<MaterialsSupplyBody>): Promise<Answered<Delivered>> {
    this.need('materials', 'take supplied materials');
    const body = this.toPlatform('materialsFields', msg.envelope.body);
    const a = await this.call('materials', { delegationId: msg.envelope.body.delegationId }, body);
    return { value: { receivedAt: this.now().toISOString() }, evidence: a.evidence };
  }

  async withdraw(msg: Outgoing<WithdrawalBody>): Promise<Answered<Withdrawn>> {
    this.need('withdraw', 'take withdrawals');
    const body = this.mapping.sections.withdrawalFields
      ? this.toPlatform('withdrawalFields', msg.envelope.body)
      : {};
    const a = await this.call('withdraw', { delegationId: msg.envelope.body.delegationId }, body);
    const status = this.statusOf(a.data);
    return {
      value: status ? { applied: status === 'withdrawn', status } : { applied: true },
      evidence: a.evidence,
    };
  }

  async lookupPenalties(uscc: string): Promise<Answered<PenaltyRecordWire[]>> {
    this.need('penalties', 'answer penalty lookups');
    const a = await this.call('penalties', { uscc });
    return { value: this.records(a), evidence: a.evidence };
  }

  /** Platform record items → contract PenaltyRecords, each checked against the contract. */
  records(a: Called): PenaltyRecordWire[] {
    const list = a.data ?? [];
    if (!Array.isArray(list))
      throw this.refused('penalties', 'the answer is not a list of records', a.evidence);
    const v = contracts().schemaValidator('exchange', 'PenaltyRecord');
    return list.map((item, i) => {
      let rec: unknown;
      try {
        rec = this.mapping.records.fromPlatform(item);
      } catch (e) {
        throw this.refused('penalties', `record ${i}: ${(e as Error).message}`, a.evidence);
      }
      if (!v(rec)) {
        const err = v.errors?.[0];
        throw this.refused(
          'penalties',
          `record ${i} is not a contract PenaltyRecord after mapping: ${err?.instancePath || '/'} ${err?.message ?? ''}`,
          a.evidence,
        );
      }
      return rec as PenaltyRecordWire;
    });
  }

  private statusOf(data: unknown): DelegationStatus | undefined {
    if (!data || typeof data !== 'object') return undefined;
    try {
      const s = this.mapping.sections.statusFields!.fromPlatform(data).status;
      return typeof s === 'string' && STATUSES.includes(s) ? (s as DelegationStatus) : undefined;
    } catch {
      return undefined;
    }
  }

  private report(delegationId: string, a: Called): StatusReport {
    let m: Record<string, unknown>;
    try {
      m = this.mapping.sections.statusFields!.fromPlatform(a.data);
    } catch (e) {
      throw this.refused('status', (e as Error).message, a.evidence);
    }
    if (typeof m.status !== 'string' || !STATUSES.includes(m.status)) {
      throw this.refused(
        'status',
        `the answer has no status (statusFields.status → ${this.options.statusFields.status})`,
        a.evidence,
      );
    }
    if (m.seq !== undefined && !(Number.isInteger(m.seq) && (m.seq as number) >= 0)) {
      throw this.refused(
        'status',
        `seq ${JSON.stringify(m.seq)} is not a whole number`,
        a.evidence,
      );
    }
    return {
      delegationId,
      status: m.status as DelegationStatus,
      ...(m.seq !== undefined ? { seq: m.seq as number } : {}),
      ...(typeof m.at === 'string' ? { at: m.at } : {}),
      ...(typeof m.reason === 'string' && m.reason ? { reason: m.reason } : {}),
      ...(Array.isArray(m.materialsRequested) && m.materialsRequested.length
        ? { materialsRequested: m.materialsRequested as string[] }
        : {}),
      ...(Array.isArray(m.syncTargets) && m.syncTargets.length
        ? { syncTargets: m.syncTargets as StatusReport['syncTargets'] }
        : {}),
    };
  }

  private toPlatform(section: SectionName, body: unknown): Record<string, unknown> {
    try {
      return this.mapping.sections[section]!.toPlatform(body);
    } catch (e) {
      if (e instanceof MappingError) {
        throw new AdapterError(
          'validation_failed',
          `city ${this.city}: cannot map ${section}: ${e.message}`,
          { retryable: false, cause: e },
        );
      }
      throw e;
    }
  }

  private need(op: 'materials' | 'withdraw' | 'penalties', what: string): void {
    if (!this.options.endpoints[op]) {
      throw new AdapterError(
        'peer_refused',
        `city ${this.city}'s platform does not ${what} (no adapter.options.endpoints.${op})`,
        { retryable: false },
      );
    }
  }

  private refused(op: Operation, why: string, evidence?: Evidence): AdapterError {
    return new AdapterError('peer_refused', `city ${this.city} platform, ${op}: ${why}`, {
      retryable: false,
      evidence,
    });
  }

  /** One HTTP call to the platform, its answer unwrapped from the platform's envelope. */
  async call(op: Operation, vars: Record<string, string>, body?: unknown): Promise<Called> {
    const endpoint = this.options.endpoints[op === 'deliver' ? 'deliver' : op];
    if (!endpoint) throw this.refused(op, 'no endpoint configured');
    const [method, path] = endpoint.split(/\s+/, 2) as [string, string];
    const url =
      this.baseUrl +
      path.replace(/\{([A-Za-z]+)\}/g, (_, k: string) => encodeURIComponent(vars[k] ?? ''));
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const auth = this.options.authHeader;
    if (auth) {
      const value = (this.ctx.env ?? {})[auth.valueEnv];
      if (!value) {
        throw new AdapterError(
          'config_invalid',
          `city ${this.city}: environment variable ${auth.valueEnv} (adapter.options.authHeader) is not set`,
          { retryable: true },
        );
      }
      headers[auth.name.toLowerCase()] = (auth.prefix ?? '') + value;
    }
    const timeout = this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const evidence: Evidence = {
      adapter: 'rest',
      city: this.city,
      operation: op,
      request: { method, url, ...(body !== undefined ? { body } : {}) },
      response: { status: 0, body: '' },
    };
    let status: number;
    let text: string;
    let resHeaders: Record<string, string | string[] | undefined>;
    try {
      const res = await request(url, {
        method: method as 'GET',
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        headersTimeout: timeout,
        bodyTimeout: timeout,
      });
      status = res.statusCode;
      resHeaders = res.headers;
      text = await res.body.text();
    } catch (e) {
      throw new AdapterError(
        'peer_unreachable',
        `Cannot reach city ${this.city}'s platform at ${new URL(url).origin}: ${(e as Error).message}`,
        {
          retryable: true,
          cause: e,
        },
      );
    }
    const date = resHeaders.date;
    evidence.response = { status, ...(typeof date === 'string' ? { date } : {}), body: text };
    let json: unknown;
    try {
      json = text.length ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    const r = this.options.response;
    const field = (path: string | undefined) =>
      path ? getPlain(json, parsePath(path) ?? []) : undefined;
    const code = r?.code ? field(r.code) : undefined;
    const message = r?.message ? field(r.message) : undefined;
    const said = [code, message]
      .filter((x) => x !== undefined && x !== '')
      .map(String)
      .join(' ');
    if (code !== undefined && (r?.notFound ?? []).includes(String(code))) {
      throw new AdapterError(
        'not_found',
        `city ${this.city} platform, ${op}: ${said || 'not found'}`,
        { retryable: false, httpStatus: status, evidence },
      );
    }
    if (status < 200 || status >= 300) {
      if (status === 404 && code === undefined) {
        throw new AdapterError('not_found', `city ${this.city} platform, ${op}: HTTP 404`, {
          retryable: false,
          httpStatus: status,
          evidence,
        });
      }
      throw new AdapterError(
        isRetryable(status) ? 'peer_unreachable' : 'peer_refused',
        `city ${this.city} platform, ${op}: HTTP ${status}${said ? ` ${said}` : ''}`,
        {
          retryable: isRetryable(status),
          httpStatus: status,
          evidence,
          retryAfterMs: retryAfterMs(resHeaders['retry-after'], Date.now()),
        },
      );
    }
    if (json === undefined && text.length > 0)
      throw this.refused(op, 'the answer is not JSON', evidence);
    if (r?.code) {
      const ok = r.ok ?? ['0'];
      if (code === undefined || !ok.includes(String(code))) {
        throw this.refused(
          op,
          `result code ${code === undefined ? `missing (response.code → ${r.code})` : said}`,
          evidence,
        );
      }
    }
    return { data: r?.data ? field(r.data) : json, evidence };
  }
}
