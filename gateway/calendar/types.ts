/** SLA units as configured per city (contracts/city-config.schema.json `$defs/duration`). */
export const SLA_UNITS = [
  'minutes',
  'hours',
  'working_hours',
  'working_days',
  'calendar_days',
] as const;
export type SlaUnit = (typeof SLA_UNITS)[number];

export interface Sla {
  value: number;
  unit: SlaUnit;
}

/** A city's own promises (city config `sla`): each one optional. */
export interface CitySla {
  acknowledge?: Sla;
  decide?: Sla;
  feedback?: Sla;
}

export interface DueResult {
  /** ISO date for day-based units (the whole day counts), else `YYYY-MM-DDTHH:MM:SS+08:00`. */
  due: string;
  /** True when the computation touched a day outside the holiday data (Mon–Fri assumed). */
  provisional: boolean;
}

/** One office-hours window on a working day, Asia/Shanghai wall clock, `HH:MM`. */
export interface OfficeWindow {
  start: string;
  end: string;
}
