import type { CityConfig, LoadedCityConfig } from './city-config';

/**
 * The federation as this gateway knows it: every city config, with optional URL overrides
 * (the sandbox points each city at a loopback port).
 */
export class CityDirectory {
  private readonly byId: Map<string, Readonly<CityConfig>>;
  private readonly urls: Map<string, string>;

  constructor(loaded: LoadedCityConfig[], urlOverrides: Record<string, string> = {}) {
    this.byId = new Map(loaded.map((l) => [l.config.id, l.config]));
    this.urls = new Map(Object.entries(urlOverrides));
  }

  get(id: string): Readonly<CityConfig> | undefined {
    return this.byId.get(id);
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  all(): Readonly<CityConfig>[] {
    return [...this.byId.values()];
  }

  /** Federation members (七城通办): routable penalising cities. */
  members(): string[] {
    return this.all()
      .filter((c) => c.member !== false)
      .map((c) => c.id);
  }

  /** The exchange base URL of a city running the exchange contract, if any. */
  gatewayUrl(id: string): string | undefined {
    const c = this.byId.get(id);
    if (c && !c.gateway) return undefined;
    return this.urls.get(id) ?? c?.gateway?.url;
  }

  /** The base URL of a rest city's platform (an override wins, e.g. the sandbox's simulator). */
  adapterUrl(id: string): string | undefined {
    const c = this.byId.get(id);
    if (c?.adapter.kind !== 'rest') return undefined;
    return this.urls.get(id) ?? (c.adapter.options as { baseUrl?: string } | undefined)?.baseUrl;
  }

  nameOf(id: string): string {
    const c = this.byId.get(id);
    return c ? `${c.name.zh} ${c.name.en}` : id;
  }
}
