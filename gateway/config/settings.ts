import { parsePeerUrls } from '../delivery/duration';
import { TongbanError } from '../errors';
import { DEFAULT_CITY_CONFIG_DIR } from './paths';

/**
 * Process settings from flags and environment, validated and defaulted in one place. The only
 * module that reads process.env. Flags win over environment variables, which win over the
 * defaults. Every problem is reported at once, each naming its flag or variable
 * (docs/operations.md has the full reference).
 */
export interface Settings {
  cityId: string;
  host: string;
  port: number;
  /** Public base URL peers use for this gateway (defaults to the city config's gateway.url). */
  publicUrl?: string;
  configDir: string;
  dataDir?: string;
  databaseUrl?: string;
  /** PostgreSQL schema for this city (default `city_<id>`). */
  databaseSchema?: string;
  /** PostgreSQL connections per process. */
  databasePoolMax: number;
  /** Server-side prepared statements (turn off behind a transaction-mode pooler). */
  databasePrepare: boolean;
  /** PostgreSQL: how often to look for tables due an ANALYZE (store/statistics.ts); 0 never. */
  databaseAnalyzeMs: number;
  keysDir?: string;
  /**
   * Peer exchange URLs instead of the configs' `gateway.url`: `city=url,city=url` or a JSON
   * object, checked here; `tongban serve --peer-url city=url` adds to them.
   */
  peerUrls?: string;
  logLevel: string;
  bodyLimitBytes: number;
  clockSkewSeconds: number;
  checkpointEveryEntries: number;
  checkpointEveryMs: number;
  /**
   * After appends, publish a checkpoint at most this long later; appends within the window
   * share one publish (0: one publish per nudge).
   */
  checkpointNudgeMs: number;
  delivery: {
    workers: number;
    pollMs: number;
    baseDelayMs: number;
    maxDelayMs: number;
    budgetMs: number;
    timeoutMs: number;
    /** Most messages to one peer per request (POST /exchange/v1/batch); 1 turns batching off. */
    batchMax: number;
  };
  /** When set, GET /metrics requires `Authorization: Bearer <token>`. */
  metricsToken?: string;
  /** Dev token issuer secret folder (sandbox only). */
  devAuth: boolean;
}

export type SettingsInput = Partial<Omit<Settings, 'delivery'>> & {
  delivery?: Partial<Settings['delivery']>;
  /**
   * The caller's defaults, used when neither the flag nor the environment gives a value (e.g.
   * `tongban serve` listens on 8080 and keeps data in .data/gateway; tests take a free port).
   */
  defaults?: Partial<Pick<Settings, 'host' | 'port' | 'dataDir' | 'logLevel'>>;
};

type Scalar = Exclude<keyof Settings, 'delivery'>;
type DeliveryKey = keyof Settings['delivery'];

/** Environment variable of each setting. */
export const ENV: Record<Scalar, string> & { delivery: Record<DeliveryKey, string> } = {
  cityId: 'TONGBAN_CITY',
  host: 'TONGBAN_HOST',
  port: 'TONGBAN_PORT',
  publicUrl: 'TONGBAN_PUBLIC_URL',
  configDir: 'TONGBAN_CONFIG_DIR',
  dataDir: 'TONGBAN_DATA_DIR',
  databaseUrl: 'DATABASE_URL',
  databaseSchema: 'TONGBAN_DB_SCHEMA',
  databasePoolMax: 'TONGBAN_DB_POOL_MAX',
  databasePrepare: 'TONGBAN_DB_PREPARE',
  databaseAnalyzeMs: 'TONGBAN_DB_ANALYZE_MS',
  keysDir: 'TONGBAN_KEYS_DIR',
  peerUrls: 'TONGBAN_PEER_URLS',
  logLevel: 'LOG_LEVEL',
  bodyLimitBytes: 'TONGBAN_BODY_LIMIT_BYTES',
  clockSkewSeconds: 'TONGBAN_CLOCK_SKEW_SECONDS',
  checkpointEveryEntries: 'TONGBAN_CHECKPOINT_EVERY_ENTRIES',
  checkpointEveryMs: 'TONGBAN_CHECKPOINT_EVERY_MS',
  checkpointNudgeMs: 'TONGBAN_CHECKPOINT_NUDGE_MS',
  metricsToken: 'TONGBAN_METRICS_TOKEN',
  devAuth: 'TONGBAN_DEV_AUTH',
  delivery: {
    workers: 'TONGBAN_DELIVERY_WORKERS',
    pollMs: 'TONGBAN_DELIVERY_POLL_MS',
    baseDelayMs: 'TONGBAN_DELIVERY_BASE_DELAY_MS',
    maxDelayMs: 'TONGBAN_DELIVERY_MAX_DELAY_MS',
    budgetMs: 'TONGBAN_DELIVERY_BUDGET_MS',
    timeoutMs: 'TONGBAN_DELIVERY_TIMEOUT_MS',
    batchMax: 'TONGBAN_DELIVERY_BATCH_MAX',
  },
};

/** Flag of each setting on `tongban serve`, where there is one (for error messages and docs). */
const FLAG: Partial<Record<Scalar | `delivery.${DeliveryKey}`, string>> = {
  cityId: '--city',
  host: '--host',
  port: '--port',
  publicUrl: '--public-url',
  configDir: '--config-dir',
  dataDir: '--data-dir',
  databaseUrl: '--database-url',
  databaseSchema: '--schema',
  keysDir: '--keys-dir',
  peerUrls: '--peer-urls',
  'delivery.workers': '--delivery-workers',
  'delivery.pollMs': '--delivery-poll',
  'delivery.baseDelayMs': '--retry-base',
  'delivery.maxDelayMs': '--retry-max',
  'delivery.budgetMs': '--retry-budget',
  'delivery.timeoutMs': '--delivery-timeout',
  'delivery.batchMax': '--delivery-batch',
};

/** A city's 6-digit code (GB/T 2260). */
export const CITY_CODE = /^\d{6}$/;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
const HOUR = 3_600_000;

/** Integer bounds and defaults of the numeric settings. */
const INTS = {
  port: { def: 0, min: 0, max: 65535 },
  databasePoolMax: { def: 10, min: 1, max: 200 },
  databaseAnalyzeMs: { def: 2000, min: 0, max: HOUR },
  bodyLimitBytes: { def: 256 * 1024, min: 1024, max: 64 * 1024 * 1024 },
  clockSkewSeconds: { def: 300, min: 1, max: 3600 },
  checkpointEveryEntries: { def: 64, min: 1, max: 1_000_000 },
  checkpointEveryMs: { def: 2000, min: 10, max: HOUR },
  checkpointNudgeMs: { def: 250, min: 0, max: 60_000 },
} as const;

const DELIVERY_INTS: Record<DeliveryKey, { def: number; min: number; max: number }> = {
  workers: { def: 16, min: 1, max: 256 },
  pollMs: { def: 250, min: 5, max: 60_000 },
  baseDelayMs: { def: 500, min: 1, max: 600_000 },
  maxDelayMs: { def: 5 * 60_000, min: 1, max: HOUR },
  budgetMs: { def: 72 * HOUR, min: 1, max: 30 * 24 * HOUR },
  timeoutMs: { def: 10_000, min: 10, max: 120_000 },
  batchMax: { def: 32, min: 1, max: 256 },
};

/**
 * The process environment, for the variables a city config names (a rest platform's auth token:
 * `adapter.options.authHeader.valueEnv`) and the CLI tools that take a variable's name. Kept a
 * function, not a settings field, so no secret ever sits in the settings object (which is
 * logged and shown); and here, so this stays the one module that reads the environment.
 */
export function environment(): Readonly<Record<string, string | undefined>> {
  return process.env;
}

/** A setting as errors name it: `cityId (--city or TONGBAN_CITY)`. */
export function label(key: string, envName: string): string {
  const flag = FLAG[key as keyof typeof FLAG];
  return `${key} (${flag ? `${flag} or ` : ''}${envName})`;
}

const show = (v: unknown): string => (typeof v === 'string' ? JSON.stringify(v) : String(v));
/** Whether a flag or variable says something (an empty value says nothing). */
export const given = (v: unknown): boolean => v !== undefined && v !== null && v !== '';

/** Merge flags over environment over defaults, validate everything, freeze. */
export function loadSettings(
  flags: SettingsInput,
  env: NodeJS.ProcessEnv = process.env,
): Readonly<Settings> {
  const problems: string[] = [];
  /** The flag, else the environment variable, else undefined. */
  const defaults: Record<string, unknown> = flags.defaults ?? {};
  const raw = (flag: unknown, envName: string, key?: string): { v: unknown } | undefined => {
    if (given(flag)) return { v: flag };
    const e = env[envName];
    if (given(e)) return { v: e };
    return key !== undefined && given(defaults[key]) ? { v: defaults[key] } : undefined;
  };
  const str = (key: Scalar): string | undefined => {
    const r = raw(flags[key], ENV[key], key);
    return r === undefined ? undefined : String(r.v).trim();
  };
  const int = (
    key: string,
    envName: string,
    flag: unknown,
    b: { def: number; min: number; max: number },
  ) => {
    const r = raw(flag, envName, key);
    if (r === undefined) return b.def;
    const n = typeof r.v === 'number' ? r.v : /^\s*-?\d+\s*$/.test(String(r.v)) ? Number(r.v) : NaN;
    if (!Number.isSafeInteger(n) || n < b.min || n > b.max) {
      problems.push(
        `${label(key, envName)}: expected an integer in [${b.min}, ${b.max}], got ${show(r.v)}`,
      );
      return b.def;
    }
    return n;
  };
  const bool = (key: Scalar, def: boolean): boolean => {
    const r = raw(flags[key], ENV[key]);
    if (r === undefined) return def;
    if (typeof r.v === 'boolean') return r.v;
    const s = String(r.v).trim().toLowerCase();
    if (['1', 'true', 'yes', 'on'].includes(s)) return true;
    if (['0', 'false', 'no', 'off'].includes(s)) return false;
    problems.push(`${label(key, ENV[key])}: expected true or false, got ${show(r.v)}`);
    return def;
  };

  const cityId = str('cityId');
  if (!cityId || !CITY_CODE.test(cityId)) {
    problems.push(
      `${label('cityId', ENV.cityId)}: a 6-digit city code is required, got ${String(cityId)}`,
    );
  }
  const databaseUrl = str('databaseUrl');
  if (databaseUrl && !/^postgres(ql)?:\/\/\S+$/.test(databaseUrl)) {
    problems.push(
      `${label('databaseUrl', ENV.databaseUrl)}: expected postgres://… or postgresql://…`,
    );
  }
  const databaseSchema = str('databaseSchema');
  if (databaseSchema && !/^[a-z_][a-z0-9_]{0,62}$/.test(databaseSchema)) {
    problems.push(
      `${label('databaseSchema', ENV.databaseSchema)}: lower-case letters, digits and _ (at most 63), got ${JSON.stringify(databaseSchema)}`,
    );
  }
  const publicUrl = str('publicUrl');
  if (publicUrl && !/^https?:\/\/\S+$/.test(publicUrl)) {
    problems.push(
      `${label('publicUrl', ENV.publicUrl)}: expected an http:// or https:// URL, got ${JSON.stringify(publicUrl)}`,
    );
  }
  const peerUrls = str('peerUrls');
  if (peerUrls) {
    try {
      parsePeerUrls([peerUrls]);
    } catch (e) {
      problems.push(`${label('peerUrls', ENV.peerUrls)}: ${(e as Error).message}`);
    }
  }
  const logLevel = (str('logLevel') ?? 'info').toLowerCase();
  if (!LOG_LEVELS.includes(logLevel)) {
    problems.push(
      `${label('logLevel', ENV.logLevel)}: one of ${LOG_LEVELS.join(', ')}, got ${JSON.stringify(logLevel)}`,
    );
  }
  const ints = Object.fromEntries(
    (Object.keys(INTS) as (keyof typeof INTS)[]).map((k) => [k, int(k, ENV[k], flags[k], INTS[k])]),
  ) as Record<keyof typeof INTS, number>;
  const d = flags.delivery ?? {};
  const delivery = Object.fromEntries(
    (Object.keys(DELIVERY_INTS) as DeliveryKey[]).map((k) => [
      k,
      int(`delivery.${k}`, ENV.delivery[k], d[k], DELIVERY_INTS[k]),
    ]),
  ) as Settings['delivery'];
  const devAuth = bool('devAuth', false);
  const databasePrepare = bool('databasePrepare', true);
  if (problems.length > 0) {
    throw new TongbanError(
      'config_invalid',
      `Invalid settings:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
  }

  const settings: Settings = {
    cityId: cityId as string,
    host: str('host') ?? '127.0.0.1',
    port: ints.port,
    publicUrl,
    configDir: str('configDir') ?? DEFAULT_CITY_CONFIG_DIR,
    dataDir: str('dataDir'),
    databaseUrl,
    databaseSchema,
    databasePoolMax: ints.databasePoolMax,
    databasePrepare,
    databaseAnalyzeMs: ints.databaseAnalyzeMs,
    keysDir: str('keysDir'),
    peerUrls,
    logLevel,
    bodyLimitBytes: ints.bodyLimitBytes,
    clockSkewSeconds: ints.clockSkewSeconds,
    checkpointEveryEntries: ints.checkpointEveryEntries,
    checkpointEveryMs: ints.checkpointEveryMs,
    checkpointNudgeMs: ints.checkpointNudgeMs,
    delivery: Object.freeze(delivery),
    metricsToken: str('metricsToken'),
    devAuth,
  };
  return Object.freeze(settings);
}
