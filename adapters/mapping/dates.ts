/**
 * Date and date-time formats of city platforms, written with the tokens yyyy MM dd HH mm ss
 * (anything else is a literal), e.g. `yyyyMMdd`, `yyyy/MM/dd`, `yyyyMMddHHmmss`. Contract dates
 * are ISO `YYYY-MM-DD`; contract date-times are RFC 3339 and are written in the city's time zone.
 */
const TOKENS = ['yyyy', 'MM', 'dd', 'HH', 'mm', 'ss'] as const;
type Token = (typeof TOKENS)[number];
type Part = { token: Token } | { literal: string };

/** UTC offsets of the time zones the city-config schema allows (China has no DST). */
const OFFSET_MINUTES: Record<string, number> = { 'Asia/Shanghai': 480, 'Asia/Urumqi': 360 };

export function offsetOf(timezone: string | undefined): number {
  return OFFSET_MINUTES[timezone ?? 'Asia/Shanghai'] ?? 480;
}

function tokenize(format: string): Part[] {
  const parts: Part[] = [];
  let i = 0;
  while (i < format.length) {
    const t = TOKENS.find((tok) => format.startsWith(tok, i));
    if (t) {
      parts.push({ token: t });
      i += t.length;
    } else {
      const last = parts[parts.length - 1];
      if (last && 'literal' in last) last.literal += format[i];
      else parts.push({ literal: format[i]! });
      i += 1;
    }
  }
  return parts;
}

/** Is this a usable format for a date (needs yyyy, MM, dd) or a date-time (also HH, mm)? */
export function checkFormat(format: string, kind: 'date' | 'datetime'): string | undefined {
  const have = new Set(tokenize(format).flatMap((p) => ('token' in p ? [p.token] : [])));
  const need: Token[] = kind === 'date' ? ['yyyy', 'MM', 'dd'] : ['yyyy', 'MM', 'dd', 'HH', 'mm'];
  const missing = need.filter((t) => !have.has(t));
  return missing.length ? `format "${format}" lacks ${missing.join(', ')}` : undefined;
}

const pad = (n: number, w: number) => String(n).padStart(w, '0');

function render(format: string, v: Record<Token, number>): string {
  return tokenize(format)
    .map((p) => ('literal' in p ? p.literal : pad(v[p.token], p.token === 'yyyy' ? 4 : 2)))
    .join('');
}

function parse(format: string, text: string): Record<Token, number> | undefined {
  const parts = tokenize(format);
  const re = new RegExp(
    '^' +
      parts
        .map((p) =>
          'literal' in p
            ? p.literal.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
            : `(\\d{${p.token === 'yyyy' ? 4 : 2}})`,
        )
        .join('') +
      '$',
  );
  const m = re.exec(text);
  if (!m) return undefined;
  const v: Record<Token, number> = { yyyy: 0, MM: 1, dd: 1, HH: 0, mm: 0, ss: 0 };
  let g = 1;
  for (const p of parts) if ('token' in p) v[p.token] = Number(m[g++]);
  return v;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** `2026-05-10` → `20260510` (format `yyyyMMdd`). */
export function formatDate(iso: string, format: string): string {
  const m = ISO_DATE.exec(iso);
  if (!m) throw new Error(`not an ISO date: ${JSON.stringify(iso)}`);
  return render(format, { yyyy: +m[1]!, MM: +m[2]!, dd: +m[3]!, HH: 0, mm: 0, ss: 0 });
}

/** `20260510` → `2026-05-10`; the calendar date must exist. */
export function parseDate(text: string, format: string): string {
  const v = parse(format, text);
  if (!v) throw new Error(`${JSON.stringify(text)} does not match the date format ${format}`);
  const d = new Date(Date.UTC(v.yyyy, v.MM - 1, v.dd));
  if (d.getUTCFullYear() !== v.yyyy || d.getUTCMonth() !== v.MM - 1 || d.getUTCDate() !== v.dd) {
    throw new Error(`${JSON.stringify(text)} is not a calendar date`);
  }
  return `${pad(v.yyyy, 4)}-${pad(v.MM, 2)}-${pad(v.dd, 2)}`;
}

/** An RFC 3339 instant written as local time of the zone at `offsetMinutes`. */
export function formatDateTime(iso: string, format: string, offsetMinutes: number): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) throw new Error(`not a date-time: ${JSON.stringify(iso)}`);
  const d = new Date(t + offsetMinutes * 60_000);
  return render(format, {
    yyyy: d.getUTCFullYear(),
    MM: d.getUTCMonth() + 1,
    dd: d.getUTCDate(),
    HH: d.getUTCHours(),
    mm: d.getUTCMinutes(),
    ss: d.getUTCSeconds(),
  });
}

/** Local time of the zone at `offsetMinutes` → RFC 3339 in UTC. */
export function parseDateTime(text: string, format: string, offsetMinutes: number): string {
  const v = parse(format, text);
  if (!v) throw new Error(`${JSON.stringify(text)} does not match the date-time format ${format}`);
  const t = Date.UTC(v.yyyy, v.MM - 1, v.dd, v.HH, v.mm, v.ss) - offsetMinutes * 60_000;
  if (Number.isNaN(t)) throw new Error(`${JSON.stringify(text)} is not a date-time`);
  return new Date(t).toISOString();
}
