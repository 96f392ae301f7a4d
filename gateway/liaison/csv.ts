import type { CaseSummaryWire } from '../cases/types';

const COLUMNS: [string, (c: CaseSummaryWire) => string][] = [
  ['case_id', (c) => c.id],
  ['uscc', (c) => c.uscc],
  ['company_name', (c) => c.companyName],
  ['status', (c) => c.status],
  ['penalising_cities', (c) => (c.penalisingCities ?? []).join(' ')],
  ['delegations', (c) => String(c.delegationCount)],
  ['overdue', (c) => (c.overdue ? 'yes' : 'no')],
  ['created_at', (c) => c.createdAt],
  ['updated_at', (c) => c.updatedAt],
];

/** RFC 4180 quoting; a leading = + - @ is neutralised so spreadsheets never run a formula. */
export function csvField(v: string): string {
  const safe = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The filtered case list as CSV, UTF-8 with BOM so spreadsheet tools read the Chinese names. */
export function casesCsv(items: CaseSummaryWire[]): string {
  const lines = [COLUMNS.map(([h]) => h).join(',')];
  for (const c of items) lines.push(COLUMNS.map(([, f]) => csvField(f(c))).join(','));
  return '\uFEFF' + lines.join('\r\n') + '\r\n';
}
