/**
 * When is an SLA due? One entry point for every unit a city config may use
 * (contracts/city-config.schema.json `$defs/duration`).
 *
 * - minutes / hours: elapsed time from receipt; a datetime.
 * - working_hours: office time only (see add-working-hours.ts); a datetime.
 * - working_days: the Nth working day after the day of receipt; a date (the whole day counts).
 * - calendar_days: the Nth calendar day after the day of receipt; a date.
 *
 * `receivedAt` is an RFC 3339 date-time with offset, or a bare date for the day-based units
 * (a time-based SLA needs to know the time of receipt, so a bare date is refused there).
 */
import { TongbanError } from '../errors';
import { addWorkingDays } from './add-working-days';
import { addWorkingHours } from './add-working-hours';
import { addDays, isIsoDate } from './iso-date';
import { DEFAULT_OFFICE_HOURS } from './office-hours';
import { formatShanghaiDateTime, parseInstant, shanghaiDateOf } from './shanghai-time';
import { SLA_UNITS, type DueResult, type OfficeWindow, type Sla } from './types';

export interface DueAtOptions {
  officeHours?: readonly OfficeWindow[];
}

const MS_PER_MINUTE = 60_000;

export function dueAt(receivedAt: string, sla: Sla, options: DueAtOptions = {}): DueResult {
  checkSla(sla);
  const instant = parseInstant(receivedAt);
  const receivedDate = instant === undefined ? receivedAt : shanghaiDateOf(instant);
  if (!isIsoDate(receivedDate)) {
    throw new TongbanError(
      'invalid_parameter',
      `receivedAt is not an ISO date or date-time: ${receivedAt}`,
    );
  }
  switch (sla.unit) {
    case 'working_days':
      return addWorkingDays(receivedDate, sla.value);
    case 'calendar_days':
      return { due: addDays(receivedDate, sla.value), provisional: false };
    case 'minutes':
    case 'hours':
    case 'working_hours': {
      if (instant === undefined) {
        throw new TongbanError(
          'invalid_parameter',
          `a ${sla.unit} SLA needs a date-time with offset, got ${receivedAt}`,
        );
      }
      if (sla.unit === 'working_hours') {
        return addWorkingHours(instant, sla.value, options.officeHours ?? DEFAULT_OFFICE_HOURS);
      }
      const minutes = sla.unit === 'hours' ? sla.value * 60 : sla.value;
      return {
        due: formatShanghaiDateTime(instant + Math.round(minutes * MS_PER_MINUTE)),
        provisional: false,
      };
    }
  }
}

function checkSla(sla: Sla): void {
  if (!(SLA_UNITS as readonly string[]).includes(sla.unit)) {
    throw new TongbanError('invalid_parameter', `unknown SLA unit ${JSON.stringify(sla.unit)}`);
  }
  if (!Number.isFinite(sla.value) || sla.value <= 0) {
    throw new TongbanError(
      'invalid_parameter',
      `SLA value must be a positive number, got ${sla.value}`,
    );
  }
  const dayBased = sla.unit === 'working_days' || sla.unit === 'calendar_days';
  if (dayBased && !Number.isInteger(sla.value)) {
    throw new TongbanError(
      'invalid_parameter',
      `${sla.unit} must be a whole number, got ${sla.value}`,
    );
  }
}
