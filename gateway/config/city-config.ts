/**
 * The shape of one city config, mirroring contracts/city-config.schema.json (the schema is
 * what validates; keep this type in step — tests/unit/contracts checks every schema property
 * is known here).
 */
export interface PublicJwk {
  kty: 'OKP';
  crv: 'Ed25519';
  x: string;
  kid: string;
  alg?: 'EdDSA';
  use?: 'sig';
}

export type DurationUnit = 'minutes' | 'hours' | 'working_hours' | 'working_days' | 'calendar_days';
export interface Duration {
  value: number;
  unit: DurationUnit;
}

/** Options of a `rest` adapter: a city credit platform reached through a field mapping (adapters/rest). */
export interface RestAdapterOptions {
  baseUrl: string;
  pollIntervalMs?: number;
  timeoutMs?: number;
  dateFormat?: string;
  dateTimeFormat?: string;
  authHeader?: { name: string; valueEnv: string; prefix?: string };
  endpoints: {
    deliver: string;
    status: string;
    materials?: string;
    withdraw?: string;
    penalties?: string;
  };
  response?: { code?: string; ok?: string[]; notFound?: string[]; message?: string; data?: string };
  fields: Record<string, string>;
  statusFields: Record<string, string>;
  materialsFields?: Record<string, string>;
  withdrawalFields?: Record<string, string>;
  statusCodes: Record<string, string>;
  severityCodes?: Record<string, string>;
  codeLists?: Record<string, Record<string, string | boolean>>;
  probeUscc?: string;
}

export type AdapterKind = 'gateway' | 'rest' | 'manual';

export interface CityConfig {
  id: string;
  name: { zh: string; en: string };
  province?: string;
  timezone: 'Asia/Shanghai' | 'Asia/Urumqi';
  member?: boolean;
  gateway?: { url: string; jwksUri?: string };
  keys?: { pinned?: PublicJwk[]; next?: PublicJwk[]; privateKeyFile?: string };
  adapter: { kind: AdapterKind; options?: Record<string, unknown> };
  categories: string[];
  sla: { acknowledge?: Duration; decide?: Duration; feedback?: Duration };
  intake?: { allowNotYetEligible?: boolean };
  auth?: { issuer?: string; jwksUri?: string; audience?: string };
  contacts?: { name: string; role?: string; phone?: string; email?: string }[];
}

/** A loaded config: the parsed document plus where it came from (for error messages). */
export interface LoadedCityConfig {
  file: string;
  config: Readonly<CityConfig>;
}
