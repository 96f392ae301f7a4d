import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ENV, environment, loadSettings } from '../../../gateway/config/settings';
import { TongbanError } from '../../../gateway/errors';

const CITY = { cityId: '230100' };

function refusal(fn: () => unknown): TongbanError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(TongbanError);
    expect((e as TongbanError).code).toBe('config_invalid');
    return e as TongbanError;
  }
  throw new Error('expected loadSettings to refuse');
}

describe('loadSettings', () => {
  it('defaults everything but the city', () => {
    const s = loadSettings(CITY, {});
    expect(s).toMatchObject({
      cityId: '230100',
      host: '127.0.0.1',
      port: 0,
      logLevel: 'info',
      databasePoolMax: 10,
      databasePrepare: true,
      databaseAnalyzeMs: 2000,
      bodyLimitBytes: 256 * 1024,
      clockSkewSeconds: 300,
      checkpointEveryEntries: 64,
      checkpointEveryMs: 2000,
      checkpointNudgeMs: 250,
      devAuth: false,
      delivery: {
        workers: 16,
        pollMs: 250,
        baseDelayMs: 500,
        maxDelayMs: 300_000,
        budgetMs: 72 * 3_600_000,
        timeoutMs: 10_000,
      },
    });
    expect(s.databaseUrl).toBeUndefined();
    expect(s.metricsToken).toBeUndefined();
    expect(Object.isFrozen(s)).toBe(true);
    expect(Object.isFrozen(s.delivery)).toBe(true);
  });

  it('reads every setting from its environment variable', () => {
    const env = {
      TONGBAN_CITY: '330100',
      TONGBAN_HOST: '0.0.0.0',
      TONGBAN_PORT: '8080',
      TONGBAN_PUBLIC_URL: 'https://gw.hangzhou.example',
      TONGBAN_CONFIG_DIR: '/etc/tongban/cities',
      TONGBAN_DATA_DIR: '/data',
      DATABASE_URL: 'postgres://tongban@db:5432/tongban',
      TONGBAN_DB_SCHEMA: 'city_330100',
      TONGBAN_DB_POOL_MAX: '20',
      TONGBAN_DB_PREPARE: 'off',
      TONGBAN_DB_ANALYZE_MS: '0',
      TONGBAN_KEYS_DIR: '/run/secrets/tongban',
      TONGBAN_PEER_URLS: '330100=http://10.0.0.2:8080',
      LOG_LEVEL: 'WARN',
      TONGBAN_BODY_LIMIT_BYTES: '524288',
      TONGBAN_CLOCK_SKEW_SECONDS: '120',
      TONGBAN_CHECKPOINT_EVERY_ENTRIES: '256',
      TONGBAN_CHECKPOINT_EVERY_MS: '5000',
      TONGBAN_CHECKPOINT_NUDGE_MS: '0',
      TONGBAN_METRICS_TOKEN: 'scrape-me',
      TONGBAN_DEV_AUTH: 'true',
      TONGBAN_DELIVERY_WORKERS: '12',
      TONGBAN_DELIVERY_POLL_MS: '100',
      TONGBAN_DELIVERY_BASE_DELAY_MS: '200',
      TONGBAN_DELIVERY_MAX_DELAY_MS: '60000',
      TONGBAN_DELIVERY_BUDGET_MS: '86400000',
      TONGBAN_DELIVERY_TIMEOUT_MS: '5000',
      TONGBAN_DELIVERY_BATCH_MAX: '8',
    };
    expect(loadSettings({}, env)).toEqual({
      cityId: '330100',
      host: '0.0.0.0',
      port: 8080,
      publicUrl: 'https://gw.hangzhou.example',
      configDir: '/etc/tongban/cities',
      dataDir: '/data',
      databaseUrl: 'postgres://tongban@db:5432/tongban',
      databaseSchema: 'city_330100',
      databasePoolMax: 20,
      databasePrepare: false,
      databaseAnalyzeMs: 0,
      keysDir: '/run/secrets/tongban',
      peerUrls: '330100=http://10.0.0.2:8080',
      logLevel: 'warn',
      bodyLimitBytes: 524288,
      clockSkewSeconds: 120,
      checkpointEveryEntries: 256,
      checkpointEveryMs: 5000,
      checkpointNudgeMs: 0,
      metricsToken: 'scrape-me',
      devAuth: true,
      delivery: {
        workers: 12,
        pollMs: 100,
        baseDelayMs: 200,
        maxDelayMs: 60000,
        budgetMs: 86400000,
        timeoutMs: 5000,
        batchMax: 8,
      },
    });
  });

  it('names a variable for every setting, and documents each one', () => {
    const { delivery, ...scalars } = ENV;
    const names = [...Object.values(scalars), ...Object.values(delivery)];
    expect(new Set(names).size).toBe(names.length);
    const doc = readFileSync(join(__dirname, '../../../docs/operations.md'), 'utf8');
    for (const n of names) expect(doc).toContain(`\`${n}\``);
  });

  it('lets flags win over the environment, and ignores empty values', () => {
    const env = {
      TONGBAN_CITY: '330100',
      TONGBAN_PORT: '9000',
      TONGBAN_DELIVERY_WORKERS: '9',
      TONGBAN_HOST: '',
    };
    const s = loadSettings(
      { cityId: '230100', port: 8081, delivery: { workers: 3, timeoutMs: undefined } },
      env,
    );
    expect(s.cityId).toBe('230100');
    expect(s.port).toBe(8081);
    expect(s.host).toBe('127.0.0.1');
    expect(s.delivery.workers).toBe(3);
    expect(s.delivery.timeoutMs).toBe(10_000);
    expect(
      loadSettings({ cityId: '230100', delivery: { workers: undefined } }, env).delivery.workers,
    ).toBe(9);
  });

  it("takes the caller's defaults only when neither flag nor environment says", () => {
    const defaults = { port: 8080, dataDir: '.data/gateway' };
    expect(loadSettings({ ...CITY, defaults }, {})).toMatchObject({
      port: 8080,
      dataDir: '.data/gateway',
    });
    expect(
      loadSettings({ ...CITY, defaults }, { TONGBAN_PORT: '9090', TONGBAN_DATA_DIR: '/data' }),
    ).toMatchObject({
      port: 9090,
      dataDir: '/data',
    });
    expect(loadSettings({ ...CITY, port: 7000, defaults }, { TONGBAN_PORT: '9090' }).port).toBe(
      7000,
    );
    expect(() => loadSettings({ ...CITY, defaults: { port: 99999 } }, {})).toThrow(/TONGBAN_PORT/);
  });

  it('requires a 6-digit city, naming the flag and the variable', () => {
    expect(refusal(() => loadSettings({}, {})).message).toMatch(
      /cityId \(--city or TONGBAN_CITY\): a 6-digit city code is required/,
    );
    expect(refusal(() => loadSettings({ cityId: 'harbin' }, {})).message).toMatch(/got harbin/);
  });

  it('refuses malformed numbers with the bounds, the variable and the value', () => {
    const e = refusal(() => loadSettings(CITY, { TONGBAN_DELIVERY_WORKERS: '8 workers' }));
    expect(e.message).toContain(
      'delivery.workers (--delivery-workers or TONGBAN_DELIVERY_WORKERS): expected an integer in [1, 256], got "8 workers"',
    );
    expect(refusal(() => loadSettings(CITY, { TONGBAN_PORT: '70000' })).message).toMatch(
      /port \(--port or TONGBAN_PORT\): expected an integer in \[0, 65535\], got "70000"/,
    );
    expect(refusal(() => loadSettings({ ...CITY, port: Number('x') }, {})).message).toMatch(
      /got NaN/,
    );
    expect(
      refusal(() => loadSettings(CITY, { TONGBAN_CHECKPOINT_EVERY_MS: '1.5' })).message,
    ).toMatch(/TONGBAN_CHECKPOINT_EVERY_MS/);
    expect(refusal(() => loadSettings(CITY, { TONGBAN_DB_POOL_MAX: '0' })).message).toMatch(
      /TONGBAN_DB_POOL_MAX/,
    );
  });

  it('refuses bad URLs, schema names, log levels and booleans', () => {
    expect(refusal(() => loadSettings(CITY, { DATABASE_URL: 'mysql://db/x' })).message).toMatch(
      /--database-url or DATABASE_URL.*postgres:\/\//,
    );
    expect(
      refusal(() => loadSettings(CITY, { TONGBAN_DB_SCHEMA: 'City-1; drop' })).message,
    ).toMatch(/--schema or TONGBAN_DB_SCHEMA/);
    expect(refusal(() => loadSettings(CITY, { TONGBAN_PUBLIC_URL: 'gw.example' })).message).toMatch(
      /TONGBAN_PUBLIC_URL.*http/,
    );
    expect(refusal(() => loadSettings(CITY, { LOG_LEVEL: 'verbose' })).message).toMatch(
      /LOG_LEVEL.*one of fatal, error/,
    );
    expect(refusal(() => loadSettings(CITY, { TONGBAN_DEV_AUTH: 'maybe' })).message).toMatch(
      /TONGBAN_DEV_AUTH.*true or false/,
    );
    expect(
      refusal(() => loadSettings(CITY, { TONGBAN_PEER_URLS: '330100=ftp://x' })).message,
    ).toMatch(/\(--peer-urls or TONGBAN_PEER_URLS\): peer URL of 330100: expected http\(s\)/);
    expect(
      refusal(() => loadSettings(CITY, { TONGBAN_PEER_URLS: 'hangzhou=http://x' })).message,
    ).toMatch(/TONGBAN_PEER_URLS\): peer URL: "hangzhou" is not a 6-digit city code/);
    expect(loadSettings(CITY, { DATABASE_URL: 'postgresql://u@h/db' }).databaseUrl).toBe(
      'postgresql://u@h/db',
    );
  });

  it('reports every problem at once', () => {
    const e = refusal(() =>
      loadSettings({}, { TONGBAN_PORT: '-1', TONGBAN_DELIVERY_TIMEOUT_MS: '5', LOG_LEVEL: 'loud' }),
    );
    const lines = e.message.split('\n').filter((l) => l.startsWith('  - '));
    expect(lines).toHaveLength(4);
    expect(e.message).toMatch(/^Invalid settings:/);
    expect(e.message).toMatch(/TONGBAN_CITY/);
    expect(e.message).toMatch(/TONGBAN_PORT/);
    expect(e.message).toMatch(/TONGBAN_DELIVERY_TIMEOUT_MS.*\[10, 120000\]/);
    expect(e.message).toMatch(/LOG_LEVEL/);
  });
});

describe('the environment is read in one place', () => {
  const root = join(__dirname, '..', '..', '..');
  /** Every .ts file under a folder, recursively. */
  const tsFiles = (dir: string): string[] =>
    readdirSync(join(root, dir), { withFileTypes: true }).flatMap((e) =>
      e.isDirectory()
        ? tsFiles(join(dir, e.name))
        : e.name.endsWith('.ts')
          ? [join(dir, e.name)]
          : [],
    );

  it('no module of the gateway or the adapters but settings.ts uses process.env', () => {
    const readers = [...tsFiles('gateway'), ...tsFiles('adapters')].filter((f) =>
      readFileSync(join(root, f), 'utf8')
        .split('\n')
        .some((line) => !/^\s*(\*|\/\/|\/\*)/.test(line) && /\bprocess\.env\b/.test(line)),
    );
    expect(readers).toEqual([join('gateway', 'config', 'settings.ts')]);
  });

  it('hands out the process environment for the variables city configs name', () => {
    expect(environment()).toBe(process.env);
  });
});
