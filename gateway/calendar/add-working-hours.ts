/**
 * Add office time to an instant: the clock runs only inside the office windows of working
 * days (Asia/Shanghai). A request received out of hours starts the clock at the next opening;
 * a deadline that lands exactly on a closing time stays there (12:00, not 13:30).
 */
import { TongbanError } from '../errors';
import { addDays } from './iso-date';
import { isWorkingDay } from './is-working-day';
import { toMinuteWindows } from './office-hours';
import {
  formatShanghaiDateTime,
  fromShanghaiWall,
  shanghaiDateOf,
  toShanghaiWall,
} from './shanghai-time';
import type { DueResult, OfficeWindow } from './types';

const MS_PER_MINUTE = 60_000;
const MS_PER_DAY = 86_400_000;
/** Bound on the search, so a bad config cannot spin for ever (about eight years). */
const MAX_DAYS_SCANNED = 3_000;

export function addWorkingHours(
  receivedMs: number,
  hours: number,
  officeHours: readonly OfficeWindow[],
): DueResult {
  if (!Number.isFinite(hours) || hours < 0) {
    throw new TongbanError('invalid_parameter', `working hours must be ≥ 0, got ${hours}`);
  }
  const windows = toMinuteWindows(officeHours);
  let remaining = Math.round(hours * 60 * MS_PER_MINUTE);
  let wall = toShanghaiWall(receivedMs);
  let day = shanghaiDateOf(receivedMs);
  let provisional = false;
  for (let scanned = 0; scanned < MAX_DAYS_SCANNED; scanned++) {
    const answer = isWorkingDay(day);
    provisional ||= answer.provisional;
    const midnight = wall - (wall % MS_PER_DAY);
    for (const w of answer.working ? windows : []) {
      const opens = midnight + w.start * MS_PER_MINUTE;
      const closes = midnight + w.end * MS_PER_MINUTE;
      if (wall >= closes) continue;
      const from = Math.max(wall, opens);
      if (remaining <= closes - from) {
        return { due: formatShanghaiDateTime(fromShanghaiWall(from + remaining)), provisional };
      }
      remaining -= closes - from;
      wall = closes;
    }
    day = addDays(day, 1);
    wall = midnight + MS_PER_DAY;
  }
  throw new TongbanError('invalid_parameter', `working hours ${hours} exceed the supported range`);
}
