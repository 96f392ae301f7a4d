import { join } from 'node:path';
import { TongbanError } from '../errors';
import { CITY_CODE, ENV, environment, given, label } from './settings';

/**
 * Where the command-line tools find a city's data, as `tongban serve` does: each flag, else the
 * environment variable serve reads (./settings.ts), else a default folder.
 */
type Env = Readonly<Record<string, string | undefined>>;

/** The flag, else the variable; trimmed; undefined when neither says anything. */
const pick = (env: Env, flag: string | undefined, envName: string): string | undefined =>
  [flag, env[envName]].find((v) => given(v))?.trim();

/** Where `tongban serve` keeps its data when neither --data-dir nor TONGBAN_DATA_DIR says. */
export const SERVE_DATA_DIR = '.data/gateway';

/** Where the sandbox (and the `tongban ledger` commands, when nothing says) keep their data. */
export const SANDBOX_DATA_DIR = '.data/sandbox';

/**
 * A city's keys folder as `tongban serve` finds it: --keys-dir, else TONGBAN_KEYS_DIR, else
 * `keys` in the data folder (--data-dir, else TONGBAN_DATA_DIR, else SERVE_DATA_DIR). The
 * `tongban keys` commands use it too, so a key generated with the same flags and environment
 * is the key the gateway reads (the Docker image: TONGBAN_DATA_DIR=/data → /data/keys).
 */
export function resolveKeysDir(
  flags: { keysDir?: string; dataDir?: string },
  env: Env = environment(),
): string {
  return (
    pick(env, flags.keysDir, ENV.keysDir) ??
    join(pick(env, flags.dataDir, ENV.dataDir) ?? SERVE_DATA_DIR, 'keys')
  );
}

/** The store and keys of one city, as the `tongban ledger` commands open them. */
export interface CityStoreLocation {
  city: string;
  dataDir: string;
  databaseUrl?: string;
  schema?: string;
  keysDir: string;
}

/**
 * A city's store and keys for the `tongban ledger` commands: each flag, else the environment
 * variable `tongban serve` reads, so inside a running gateway's container (TONGBAN_CITY,
 * TONGBAN_DATA_DIR or DATABASE_URL set) `tongban ledger verify` needs no flags; else the
 * sandbox's folder, where `npm start` keeps the seven cities.
 */
export function resolveCityStore(
  flags: Partial<CityStoreLocation>,
  env: Env = environment(),
): CityStoreLocation {
  const city = pick(env, flags.city, ENV.cityId);
  if (!city || !CITY_CODE.test(city))
    throw new TongbanError(
      'config_invalid',
      `${label('cityId', ENV.cityId)}: a 6-digit city code is required, got ${String(city)}`,
    );
  const dataDir = pick(env, flags.dataDir, ENV.dataDir) ?? SANDBOX_DATA_DIR;
  return {
    city,
    dataDir,
    databaseUrl: pick(env, flags.databaseUrl, ENV.databaseUrl),
    schema: pick(env, flags.schema, ENV.databaseSchema),
    keysDir: resolveKeysDir({ keysDir: flags.keysDir, dataDir }, env),
  };
}
