/** Officer roles and what each may do (docs/dashboard.md has the table). */
export const ROLES = ['officer', 'supervisor', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

export type Permission =
  | 'cases:read'
  | 'cases:write'
  | 'inbox:read'
  | 'inbox:decide'
  | 'deliveries:read'
  | 'deliveries:replay'
  | 'cases:export'
  | 'ledger:read';

const GRANTS: Record<Role, readonly Permission[]> = {
  officer: ['cases:read', 'cases:write', 'inbox:read', 'inbox:decide', 'deliveries:read'],
  supervisor: [
    'cases:read',
    'cases:write',
    'inbox:read',
    'inbox:decide',
    'deliveries:read',
    'deliveries:replay',
    'cases:export',
    'ledger:read',
  ],
  auditor: ['cases:read', 'inbox:read', 'deliveries:read', 'cases:export', 'ledger:read'],
};

export function can(role: Role, permission: Permission): boolean {
  return GRANTS[role].includes(permission);
}

export interface Principal {
  sub: string;
  name?: string;
  city: string;
  role: Role;
}
