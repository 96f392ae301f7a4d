import { accessSync, constants, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TongbanError } from '../errors';
import {
  generateCityKey,
  publicJwks,
  readPrivateKeyFile,
  writePrivateKeyFile,
  type CityKey,
} from '../signing';
import type { Ed25519PrivateJwk } from '../signing/keys/types';

/**
 * Key files in a keys folder:
 *   <city>.private.jwk.json   the signing key in use (mode 0600)
 *   <city>.previous.private.jwk.json   the key it replaced (still published during the overlap)
 *   <city>.public.jwks.json   the public keys peers should accept (current + previous)
 */
export const privateKeyPath = (dir: string, city: string) => join(dir, `${city}.private.jwk.json`);
const previousKeyPath = (dir: string, city: string) =>
  join(dir, `${city}.previous.private.jwk.json`);
export const publicJwksPath = (dir: string, city: string) => join(dir, `${city}.public.jwks.json`);

export interface CityKeys {
  current: CityKey;
  previous?: CityKey;
}

export function readCityKeys(dir: string, city: string, explicitFile?: string): CityKeys {
  const file = explicitFile ?? privateKeyPath(dir, city);
  const problem = unreadable(file);
  if (problem === 'ENOENT') {
    throw new TongbanError(
      'config_invalid',
      `No signing key for city ${city} at ${file}. Create one with: tongban keys generate --city ${city} --keys-dir ${dir} (from a checkout \`npx tongban …\`, in the Docker image \`node bin/tongban.js …\`)`,
    );
  }
  if (problem) {
    // A key folder of mode 0700 owned by another user looks like a missing key to existsSync:
    // say what it is (e.g. a root-owned folder mounted into the image, which runs as uid 1000).
    throw new TongbanError(
      'config_invalid',
      `The signing key of city ${city} at ${file} cannot be read by this process (${problem}, uid ${process.getuid?.() ?? '?'}): the keys folder and its files must belong to the user the gateway runs as (the Docker image runs as uid 1000)`,
    );
  }
  const prev = previousKeyPath(dir, city);
  return {
    current: readPrivateKeyFile(file),
    previous: existsSync(prev) ? readPrivateKeyFile(prev) : undefined,
  };
}

/** Why `file` cannot be read (an errno code such as ENOENT or EACCES), or undefined. */
function unreadable(file: string): string | undefined {
  try {
    accessSync(file, constants.R_OK);
    return undefined;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code ?? 'unreadable';
  }
}

function writePublic(dir: string, city: string, keys: CityKeys): void {
  const set = publicJwks([keys.current, ...(keys.previous ? [keys.previous] : [])]);
  writeFileSync(publicJwksPath(dir, city), JSON.stringify(set, null, 2) + '\n');
}

/** Generate a city's first key (idempotent: an existing key is kept). */
export function ensureCityKey(dir: string, city: string): CityKeys {
  if (!existsSync(privateKeyPath(dir, city))) {
    writePrivateKeyFile(privateKeyPath(dir, city), generateCityKey().privateJwk);
  }
  const keys = readCityKeys(dir, city);
  writePublic(dir, city, keys);
  return keys;
}

/**
 * Rotate: a new key signs from now on; the old one stays published so messages signed with it
 * keep verifying during the overlap. Peers pin the new public key via `keys.next` beforehand.
 */
export function rotateCityKey(dir: string, city: string): CityKeys {
  const oldJwk = JSON.parse(readFileSync(privateKeyPath(dir, city), 'utf8')) as Ed25519PrivateJwk;
  writePrivateKeyFile(previousKeyPath(dir, city), oldJwk);
  writePrivateKeyFile(privateKeyPath(dir, city), generateCityKey().privateJwk);
  const keys = readCityKeys(dir, city);
  writePublic(dir, city, keys);
  return keys;
}
