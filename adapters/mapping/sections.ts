/**
 * The mapping sections of a rest adapter's options, each tied to the exchange-contract schema
 * whose fields it names. `supplied` fields are the gateway's own (the delegation id travels in
 * the URL; a sequence number and time are made up when the platform has none), so they need no
 * mapping even where the contract requires them.
 */
export interface SectionSpec {
  schema: string;
  /** out: contract → platform (requests); in: platform → contract (answers). */
  direction: 'out' | 'in';
  supplied: readonly string[];
  required: boolean;
}

export const SECTIONS = {
  fields: { schema: 'DelegationCreate', direction: 'out', supplied: [], required: true },
  statusFields: {
    schema: 'Callback',
    direction: 'in',
    supplied: ['delegationId', 'seq', 'at', 'checkpoint'],
    required: true,
  },
  materialsFields: {
    schema: 'MaterialsSupply',
    direction: 'out',
    supplied: ['delegationId'],
    required: false,
  },
  withdrawalFields: {
    schema: 'Withdrawal',
    direction: 'out',
    supplied: ['delegationId'],
    required: false,
  },
} as const satisfies Record<string, SectionSpec>;

export type SectionName = keyof typeof SECTIONS;
export const SECTION_NAMES = Object.keys(SECTIONS) as SectionName[];

/** Code lists the schema names directly; both are code lists of a contract enum by name. */
export const NAMED_CODE_LISTS = {
  statusCodes: 'DelegationStatus',
  severityCodes: 'Severity',
} as const;

/** Statuses only the gateway itself sets: a platform never reports them. */
export const GATEWAY_ONLY_STATUSES = ['submitted', 'failed'];
