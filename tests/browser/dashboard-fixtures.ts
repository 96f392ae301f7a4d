/** What the dashboard's browser tests share: cities, the demo company, an anchored clock. */
import { DEMO_COMPANY, DEMO_USCC } from '../support/fixtures';

export const HARBIN = '230100';
export const HANGZHOU = '330100';
export const KUNMING = '530100';
export const COMPANY = DEMO_COMPANY;
export const USCC = DEMO_USCC;
export const DAY = 24 * 3600_000;

/** A ticking clock that starts on 2026-11-20 10:00 (Beijing) and can be moved forward. */
export function anchoredClock(start = '2026-11-20T02:00:00Z') {
  const base = Date.parse(start);
  const t0 = Date.now();
  const clock = { offsetMs: 0, now: () => new Date(base + (Date.now() - t0) + clock.offsetMs) };
  return clock;
}

export interface CaseWire {
  id: string;
  status: string;
  delegations: { id: string; penalisingCity: string; status: string }[];
}

/** A small PDF to choose in a file field (the page hashes it; nothing is uploaded). */
export const pdf = (name: string) => ({
  name,
  mimeType: 'application/pdf',
  buffer: Buffer.from(`%PDF-1.4 ${name}`),
});
