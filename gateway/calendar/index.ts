/** Working-day calendar and SLA clocks (Asia/Shanghai, `chinese-days` holiday data). */
export { addWorkingDays, MAX_WORKING_DAYS } from './add-working-days';
export { addWorkingHours } from './add-working-hours';
export { calendarCoverage, coverageOf, type CalendarCoverage } from './coverage';
export { holidayData, parseHolidayData, type HolidayData } from './holiday-data';
export { dueAt, type DueAtOptions } from './due-at';
export { isOverdue } from './is-overdue';
export { isWorkingDay, type WorkingDayAnswer } from './is-working-day';
export {
  addDays,
  compareIsoDates,
  daysInMonth,
  isIsoDate,
  parseIsoDate,
  weekdayOf,
  type DateParts,
} from './iso-date';
export { DEFAULT_OFFICE_HOURS } from './office-hours';
export {
  formatShanghaiDateTime,
  parseInstant,
  shanghaiDateOf,
  todayInShanghai,
} from './shanghai-time';
export { NATIONAL_SLA, slaFor, type SlaBasis, type SlaDeadlines } from './sla-for';
export {
  SLA_UNITS,
  type CitySla,
  type DueResult,
  type OfficeWindow,
  type Sla,
  type SlaUnit,
} from './types';
export { workingDaysBetween, type WorkingDayCount } from './working-days-between';
