import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { checkCredentials } from '../../../gateway/config/check-credentials';
import { loadCityConfigs } from '../../../gateway/config/load-city-configs';
import { DEFAULT_CITY_CONFIG_DIR } from '../../../gateway/config/paths';
import { TongbanError } from '../../../gateway/errors';
import { startGateway } from '../../../gateway/runtime/start';

/**
 * A rest platform's token comes from the environment variable its config names. A gateway
 * without it would fail every delivery to that city; it refuses to start instead, naming the
 * variable, the city and the file.
 */
describe('platform credentials at start', () => {
  let dir: string;
  const VAR = 'TONGBAN_440100_TOKEN';
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tongban-cred-'));
    cpSync(DEFAULT_CITY_CONFIG_DIR, dir, { recursive: true });
    const file = join(dir, '440100.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('# authHeader:', 'authHeader:'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const configs = () => loadCityConfigs(dir).map((l) => l.config);

  it('passes when the variable is set, or when no config asks for one', () => {
    expect(() => checkCredentials(configs(), '230100', dir, { [VAR]: 't0ken' })).not.toThrow();
    const plain = loadCityConfigs(DEFAULT_CITY_CONFIG_DIR).map((l) => l.config);
    expect(() => checkCredentials(plain, '230100', DEFAULT_CITY_CONFIG_DIR, {})).not.toThrow();
  });

  it('refuses a missing or empty variable as config_invalid, naming variable, city and file', () => {
    for (const env of [{}, { [VAR]: '' }]) {
      let err: unknown;
      try {
        checkCredentials(configs(), '230100', dir, env);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(TongbanError);
      const e = err as TongbanError;
      expect(e.code).toBe('config_invalid');
      expect(e.message).toContain(`environment variable ${VAR} is not set`);
      expect(e.message).toContain(join(dir, '440100.yaml'));
      expect(e.details.errors).toEqual([
        expect.objectContaining({ pointer: '/adapter/options/authHeader/valueEnv' }),
      ]);
    }
  });

  it('startGateway refuses before it opens anything', async () => {
    const before = process.env[VAR];
    delete process.env[VAR];
    try {
      await expect(
        startGateway({
          cityId: '230100',
          configDir: dir,
          // Unreachable on purpose: the refusal must come before the store is opened.
          databaseUrl: 'postgres://nobody@127.0.0.1:9/none',
          keysDir: join(dir, 'keys'),
          port: 0,
          logger: pino({ level: 'silent' }),
        }),
      ).rejects.toMatchObject({
        code: 'config_invalid',
        message: expect.stringContaining(VAR),
      });
    } finally {
      if (before !== undefined) process.env[VAR] = before;
    }
  });
});
