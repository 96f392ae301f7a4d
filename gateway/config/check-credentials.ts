import { join } from 'node:path';
import { TongbanError } from '../errors';
import type { CityConfig, RestAdapterOptions } from './city-config';

/**
 * Every platform this gateway calls with a token must have it before the gateway starts: a rest
 * adapter's `authHeader.valueEnv` names an environment variable, and without it each delivery
 * to that city would fail, one by one, until someone read the outbox's errors. All missing
 * variables are reported at once, with the file to look at and the fix (`tongban doctor
 * --city <id>` checks the same and more against the live platform).
 */
export function checkCredentials(
  cities: readonly Readonly<CityConfig>[],
  self: string,
  configDir: string,
  env: Readonly<Record<string, string | undefined>>,
): void {
  const missing = cities.flatMap((c) => {
    if (c.id === self || c.adapter.kind !== 'rest') return [];
    const auth = (c.adapter.options as unknown as RestAdapterOptions).authHeader;
    if (!auth || env[auth.valueEnv]) return [];
    return [
      `city ${c.id} (${join(configDir, `${c.id}.yaml`)}, adapter.options.authHeader.valueEnv): ` +
        `environment variable ${auth.valueEnv} is not set; export ${auth.valueEnv}=<the token the platform issued>`,
    ];
  });
  if (missing.length > 0) {
    throw new TongbanError(
      'config_invalid',
      `Platform credentials missing: ${missing.join('; ')}`,
      {
        errors: missing.map((detail) => ({
          pointer: '/adapter/options/authHeader/valueEnv',
          detail,
        })),
      },
    );
  }
}
