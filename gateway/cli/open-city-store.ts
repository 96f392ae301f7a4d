import { createPublicKey } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { vkeyOf } from '../ledger';
import { readCityKeys } from '../runtime/keys';
import { openStore, type Store } from '../store';
import type { CityStoreLocation } from '../config/cli-locations';

export type CityStoreFlags = Pick<CityStoreLocation, 'city' | 'dataDir'> &
  Partial<CityStoreLocation>;

export const ledgerOrigin = (city: string) => `tongban.example/ledger/${city}`;

/** Open a city's store the way `serve` lays it out (<data-dir>/db/<city>, or PostgreSQL). */
export async function openCityStore(f: CityStoreFlags): Promise<Store> {
  if (!f.databaseUrl) {
    const dir = join(f.dataDir, 'db', f.city);
    if (!existsSync(join(dir, 'PG_VERSION')))
      throw new Error(`no embedded database for city ${f.city} at ${dir}`);
    return openStore({ dataDir: dir });
  }
  return openStore({ databaseUrl: f.databaseUrl, schema: f.schema ?? `city_${f.city}` });
}

/** Verifier keys of a city's checkpoints: its current and previous signing keys. */
export function cityVkeys(f: CityStoreFlags): string[] {
  const keys = readCityKeys(f.keysDir ?? join(f.dataDir, 'keys'), f.city);
  return [keys.current, ...(keys.previous ? [keys.previous] : [])].map((k) =>
    vkeyOf(ledgerOrigin(f.city), createPublicKey(k.privateKey)),
  );
}
