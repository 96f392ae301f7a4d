/**
 * Instants and Asia/Shanghai wall-clock time. China has used a fixed UTC+08:00 with no daylight
 * saving since 1991, so a constant offset is exact for every date Tongban handles and keeps the
 * arithmetic independent of the host's time zone and ICU data.
 */
import { formatIsoDate, pad2, parseIsoDate } from './iso-date';

export const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

const ISO_DATETIME =
  /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Parse an RFC 3339 date-time that carries its offset (`Z` or `±HH:MM`) into epoch milliseconds.
 * A time without an offset is refused: it would be read in the host's zone.
 */
export function parseInstant(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const m = ISO_DATETIME.exec(value);
  if (!m) return undefined;
  const date = parseIsoDate(m[1]);
  const [h, min, s] = [Number(m[2]), Number(m[3]), Number(m[4] ?? '0')];
  if (!date || h > 23 || min > 59 || s > 59) return undefined;
  const frac = m[5] ? Math.floor(Number(m[5]) * 1000) : 0;
  const zone = m[6] ?? 'Z';
  const offsetMin = zone === 'Z' ? 0 : offsetMinutes(zone);
  if (offsetMin === undefined) return undefined;
  const wall = Date.UTC(date.year, date.month - 1, date.day, h, min, s, frac);
  return wall - offsetMin * 60_000;
}

function offsetMinutes(zone: string): number | undefined {
  const sign = zone.startsWith('-') ? -1 : 1;
  const [hh, mm] = [Number(zone.slice(1, 3)), Number(zone.slice(4, 6))];
  if (hh > 23 || mm > 59) return undefined;
  return sign * (hh * 60 + mm);
}

/** Shanghai wall-clock milliseconds: read them with the UTC getters. */
export function toShanghaiWall(epochMs: number): number {
  return epochMs + SHANGHAI_OFFSET_MS;
}

export function fromShanghaiWall(wallMs: number): number {
  return wallMs - SHANGHAI_OFFSET_MS;
}

/** The Asia/Shanghai calendar date of an instant. */
export function shanghaiDateOf(epochMs: number): string {
  const d = new Date(toShanghaiWall(epochMs));
  return formatIsoDate({
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
  });
}

/** `YYYY-MM-DDTHH:MM:SS+08:00`, the instant as read on a Shanghai clock. */
export function formatShanghaiDateTime(epochMs: number): string {
  const d = new Date(toShanghaiWall(epochMs));
  const time = `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`;
  return `${shanghaiDateOf(epochMs)}T${time}+08:00`;
}

/** Today in Asia/Shanghai; the clock is a parameter so callers stay testable. */
export function todayInShanghai(now: Date = new Date()): string {
  return shanghaiDateOf(now.getTime());
}
