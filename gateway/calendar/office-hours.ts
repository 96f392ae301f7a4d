/**
 * Office hours for `working_hours` SLAs. Assumption (not national law, so a parameter): public
 * service halls in the federation cities open 09:00–12:00 and 13:30–17:30 Asia/Shanghai on
 * working days, i.e. 7 working hours a day. Cities with other hours pass their own windows.
 */
import { TongbanError } from '../errors';
import type { OfficeWindow } from './types';

export const DEFAULT_OFFICE_HOURS: readonly OfficeWindow[] = Object.freeze([
  Object.freeze({ start: '09:00', end: '12:00' }),
  Object.freeze({ start: '13:30', end: '17:30' }),
]);

/** A window as minutes after midnight. */
export interface MinuteWindow {
  start: number;
  end: number;
}

const HH_MM = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** Validate and convert: windows must be non-empty, ascending and must not overlap. */
export function toMinuteWindows(windows: readonly OfficeWindow[]): MinuteWindow[] {
  if (windows.length === 0) throw bad('office hours need at least one window');
  const out: MinuteWindow[] = [];
  for (const w of windows) {
    const start = minutesOf(w.start);
    const end = minutesOf(w.end);
    const previous = out[out.length - 1];
    if (start >= end) throw bad(`office window ${w.start}–${w.end} is empty`);
    if (previous && start < previous.end)
      throw bad(`office window ${w.start} overlaps or is out of order`);
    out.push({ start, end });
  }
  return out;
}

function minutesOf(hhmm: string): number {
  const m = HH_MM.exec(hhmm);
  if (!m) throw bad(`office hour ${JSON.stringify(hhmm)} is not HH:MM`);
  return Number(m[1]) * 60 + Number(m[2]);
}

function bad(message: string): TongbanError {
  return new TongbanError('invalid_parameter', message);
}
