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

/** Relative spread of two measurements: |a − b| / max(a, b). */
export const spread = (a: number, b: number): number =>
  Math.max(a, b) === 0 ? 0 : Math.abs(a - b) / Math.max(a, b);

export const mb = (bytes: number): number => Math.round(bytes / 2 ** 20);
