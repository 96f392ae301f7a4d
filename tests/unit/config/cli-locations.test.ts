import { join } from 'node:path';
import {
  resolveCityStore,
  resolveKeysDir,
  SANDBOX_DATA_DIR,
  SERVE_DATA_DIR,
} from '../../../gateway/config/cli-locations';

describe('resolveKeysDir (tongban serve and tongban keys read the same folder)', () => {
  const env = { TONGBAN_KEYS_DIR: '/env/keys', TONGBAN_DATA_DIR: '/env/data' };
  it('takes --keys-dir, else TONGBAN_KEYS_DIR, else keys in the data folder', () => {
    expect(resolveKeysDir({ keysDir: '/flag/keys', dataDir: '/flag/data' }, env)).toBe(
      '/flag/keys',
    );
    expect(resolveKeysDir({ dataDir: '/flag/data' }, env)).toBe('/env/keys');
    expect(resolveKeysDir({ dataDir: '/flag/data' }, { TONGBAN_DATA_DIR: '/env/data' })).toBe(
      join('/flag/data', 'keys'),
    );
    expect(resolveKeysDir({}, { TONGBAN_DATA_DIR: '/env/data' })).toBe(join('/env/data', 'keys'));
    expect(resolveKeysDir({}, {})).toBe(join(SERVE_DATA_DIR, 'keys'));
  });

  it('ignores empty values, as loadSettings does', () => {
    expect(resolveKeysDir({ keysDir: '' }, { TONGBAN_KEYS_DIR: '', TONGBAN_DATA_DIR: '/d' })).toBe(
      join('/d', 'keys'),
    );
  });
});

describe('resolveCityStore (the tongban ledger commands find what tongban serve uses)', () => {
  const env = {
    TONGBAN_CITY: '330100',
    TONGBAN_DATA_DIR: '/data',
    DATABASE_URL: 'postgres://db/tongban',
    TONGBAN_DB_SCHEMA: 'hz',
  };
  it("takes each flag, else serve's environment variable", () => {
    expect(resolveCityStore({}, env)).toEqual({
      city: '330100',
      dataDir: '/data',
      databaseUrl: 'postgres://db/tongban',
      schema: 'hz',
      keysDir: join('/data', 'keys'),
    });
    expect(
      resolveCityStore(
        {
          city: '230100',
          dataDir: '/d',
          databaseUrl: 'postgres://x/y',
          schema: 's',
          keysDir: '/k',
        },
        env,
      ),
    ).toEqual({
      city: '230100',
      dataDir: '/d',
      databaseUrl: 'postgres://x/y',
      schema: 's',
      keysDir: '/k',
    });
  });

  it("defaults to the sandbox's folder, on the embedded store", () => {
    expect(resolveCityStore({ city: '230100' }, {})).toEqual({
      city: '230100',
      dataDir: SANDBOX_DATA_DIR,
      databaseUrl: undefined,
      schema: undefined,
      keysDir: join(SANDBOX_DATA_DIR, 'keys'),
    });
  });

  it('refuses a missing or malformed city, naming the flag and the variable', () => {
    for (const [flags, e] of [
      [{}, {}],
      [{ city: '2301' }, env],
      [{}, { TONGBAN_CITY: ' ' }],
    ] as const) {
      expect(() => resolveCityStore(flags, e)).toThrow(
        expect.objectContaining({
          code: 'config_invalid',
          message: expect.stringContaining('cityId (--city or TONGBAN_CITY)'),
        }),
      );
    }
  });
});
