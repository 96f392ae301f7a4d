/** Small numeric helpers for the bench: percentiles, rates, rounding. */

export interface LatencySummary {
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
  samples: number;
}

export const round = (x: number, digits = 1): number => {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
};

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank] ?? 0;
}

export function summarise(samplesMs: readonly number[]): LatencySummary {
  const s = Float64Array.from(samplesMs).sort();
  const a = Array.from(s);
  return {
    p50Ms: round(percentile(a, 0.5), 2),
    p95Ms: round(percentile(a, 0.95), 2),
    p99Ms: round(percentile(a, 0.99), 2),
    maxMs: round(a.at(-1) ?? 0, 2),
    samples: a.length,
  };
}

/** Relative spread of several measurements: (max − min) / max. */
export function spreadOf(xs: readonly number[]): number {
  if (xs.length === 0) return 0;
  const hi = Math.max(...xs);
  return hi === 0 ? 0 : (hi - Math.min(...xs)) / hi;
}

/**
 * The floor does the same work in every run, so its spread is the machine's own noise: beyond
 * this, something else was using the machine during the bench (seen: a type-check started
 * beside it took one floor run from 3,500 to 2,100 req/s and put that run's ratio at 0.85).
 */
export const BUSY_FLOOR_SPREAD = 0.2;

/** True when the floor runs disagree by more than BUSY_FLOOR_SPREAD (needs two runs). */
export function machineWasBusy(floorPerSecond: readonly number[]): boolean {
  return floorPerSecond.length >= 2 && spreadOf(floorPerSecond) > BUSY_FLOOR_SPREAD;
}

/** Beyond this share of the machine's busy CPU, something outside the bench ran beside a run. */
export const BUSY_OTHER_SHARE = 0.1;

/**
 * The share of the machine's busy CPU during a closed-loop run that neither gateway process nor
 * PostgreSQL used (per delegation, ms; never below 0: PostgreSQL backends that ended during the
 * run are not counted, so a quiet run can come out a little negative).
 */
export function otherCpuShare(run: {
  cpuMsPerDelegation: number;
  receiverCpuMsPerDelegation: number;
  host?: { busyMs: number; postgresMs: number };
}): number | undefined {
  const h = run.host;
  if (!h || h.busyMs <= 0) return undefined;
  const ours = run.cpuMsPerDelegation + run.receiverCpuMsPerDelegation + h.postgresMs;
  return Math.max(0, h.busyMs - ours) / h.busyMs;
}

/** The median (the mean of the middle two for an even count). */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export const mb = (bytes: number): number => Math.round(bytes / 2 ** 20);
