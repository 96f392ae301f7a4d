/**
 * Where the machine's CPU went during a run (Linux /proc only; elsewhere nothing is reported):
 * the whole machine's busy time and the PostgreSQL server processes' share, so a figure per
 * delegation (or per floor request) says what one unit of work costs the machine in total,
 * database included, and not only the gateway processes' own time.
 */
import { readdirSync, readFileSync } from 'node:fs';

export interface CpuSnapshot {
  /** Busy time of all CPUs (user, nice, system, irq, softirq; not steal: that is other guests), ms. */
  busyMs: number;
  /** CPU time of processes named `postgres` (server and backends), ms. */
  postgresMs: number;
}

export interface CpuUse {
  busyMs: number;
  postgresMs: number;
}

const TICK_MS = 10; // USER_HZ is 100 on Linux

export function cpuSnapshot(): CpuSnapshot | undefined {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
    const f = line.trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal
    const busy = f[0]! + f[1]! + f[2]! + f[5]! + f[6]!; // steal (f[7]) is not ours
    let pgTicks = 0;
    for (const pid of readdirSync('/proc')) {
      if (!/^\d+$/.test(pid)) continue;
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        const close = stat.lastIndexOf(')');
        const comm = stat.slice(stat.indexOf('(') + 1, close);
        if (comm !== 'postgres') continue;
        const rest = stat.slice(close + 2).split(' ');
        pgTicks += Number(rest[11]) + Number(rest[12]); // utime, stime (fields 14, 15)
      } catch {
        // the process ended meanwhile
      }
    }
    return { busyMs: busy * TICK_MS, postgresMs: pgTicks * TICK_MS };
  } catch {
    return undefined;
  }
}

/** CPU used between two snapshots (PostgreSQL backends that ended meanwhile are not counted). */
export function cpuUsed(
  a: CpuSnapshot | undefined,
  b: CpuSnapshot | undefined,
): CpuUse | undefined {
  if (!a || !b) return undefined;
  return { busyMs: b.busyMs - a.busyMs, postgresMs: Math.max(0, b.postgresMs - a.postgresMs) };
}
