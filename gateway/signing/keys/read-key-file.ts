import { readFileSync } from 'node:fs';
import { TongbanError, isTongbanError } from '../../errors';
import { cityKeyFromPrivateJwk } from './city-key';
import type { CityKey } from './types';

/** Load this city's signing key from a private JWK file. Errors name the file and the member. */
export function readPrivateKeyFile(path: string): CityKey {
  let jwk: unknown;
  try {
    jwk = JSON.parse(readFileSync(path, 'utf8'));
  } catch (cause) {
    throw new TongbanError(
      'config_invalid',
      `Private key file ${path} is not readable JSON`,
      {},
      { cause },
    );
  }
  try {
    return cityKeyFromPrivateJwk(jwk);
  } catch (cause) {
    if (!isTongbanError(cause)) throw cause;
    const where = cause.details.pointer ? ` (member ${cause.details.pointer})` : '';
    throw new TongbanError(
      'config_invalid',
      `Private key file ${path}${where}: ${cause.message}`,
      cause.details,
      { cause },
    );
  }
}
