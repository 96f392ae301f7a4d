import type { CityConfig, RestAdapterOptions } from '../gateway/config/city-config';
import type { Gateway } from '../gateway/runtime/context';
import { GatewayAdapter } from './gateway/gateway-adapter';
import { ManualAdapter } from './manual/manual-adapter';
import { RestAdapter } from './rest/rest-adapter';
import type { CityAdapter } from './types';
import { environment } from '../gateway/config/settings';

export type {
  CityAdapter,
  Outgoing,
  StatusReport,
  Delivered,
  Withdrawn,
  Evidence,
  Answered,
  Operation,
} from './types';
export { AdapterError, isAdapterError, asAdapterError } from './errors';
export { RestAdapter } from './rest/rest-adapter';
export { GatewayAdapter } from './gateway/gateway-adapter';
export { ManualAdapter } from './manual/manual-adapter';
export { checkRestMapping, type MappingProblem } from './mapping/check-mapping';

export interface AdapterEnv {
  /** Where rest adapters read their auth header values (default: the process environment). */
  env?: Readonly<Record<string, string | undefined>>;
}

/**
 * The adapter this gateway uses to reach `city`:
 *  - rest: the city's credit platform, through the config's mapping (polled);
 *  - manual: this gateway's own inbox when `city` is this gateway's city; another manual city
 *    runs Tongban, so it is reached like any gateway;
 *  - gateway: signed exchange over HTTP.
 */
export function createAdapter(
  gw: Gateway,
  city: Readonly<CityConfig>,
  o: AdapterEnv = {},
): CityAdapter {
  switch (city.adapter.kind) {
    case 'rest':
      return new RestAdapter(city.id, city.adapter.options as unknown as RestAdapterOptions, {
        timezone: city.timezone,
        baseUrl: gw.cities.adapterUrl(city.id),
        env: o.env ?? environment(),
        now: () => gw.now(),
      });
    case 'manual':
      return city.id === gw.self.id ? new ManualAdapter(gw) : new GatewayAdapter(gw, city.id);
    case 'gateway':
      return new GatewayAdapter(gw, city.id);
  }
}

const cache = new WeakMap<Gateway, Map<string, CityAdapter>>();

/** This gateway's adapter for a city (built once per gateway). */
export function adapterFor(gw: Gateway, cityId: string): CityAdapter | undefined {
  let m = cache.get(gw);
  if (!m) cache.set(gw, (m = new Map()));
  let a = m.get(cityId);
  if (!a) {
    const city = gw.cities.get(cityId);
    if (!city) return undefined;
    a = createAdapter(gw, city);
    m.set(cityId, a);
  }
  return a;
}

/** Cities this gateway reaches through a polled (pull) adapter: the status poller's work. */
export function pulledCities(gw: Gateway): string[] {
  return gw.cities
    .all()
    .filter((c) => c.id !== gw.self.id && c.adapter.kind === 'rest')
    .map((c) => c.id);
}
