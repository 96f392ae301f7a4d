/** The table `npm run bench` prints: the floor and each delegation run, side by side. */
import type { HttpRunResult } from './loadgen';
import type { CpuUse } from './host-cpu';
import type { GatewayRun } from './runs';

function pad(rows: string[][]): string {
  const w = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows
    .map((r) => r.map((c, i) => (i === 0 ? c.padEnd(w[i] ?? 0) : c.padStart(w[i] ?? 0))).join('  '))
    .join('\n');
}

/** Busy CPU of the whole machine per request or delegation, PostgreSQL's part in brackets. */
const hostCell = (h: CpuUse | undefined): string =>
  h ? `${h.busyMs.toFixed(2)} (${h.postgresMs.toFixed(2)})` : '';

export function summaryTable(
  floors: (HttpRunResult & { run: number; host?: CpuUse })[],
  gws: GatewayRun[],
): string {
  const rows = [
    [
      'scenario',
      'run',
      'per s',
      'p50 ms',
      'p95 ms',
      'p99 ms',
      'ratio',
      'RSS MB (send/recv)',
      'CPU ms/deleg (send/recv)',
      'machine CPU ms/unit (PostgreSQL)',
    ],
  ];
  for (const f of floors) {
    rows.push([
      `floor: express + 1 INSERT`,
      String(f.run),
      String(Math.round(f.perSecond)),
      String(f.latency.p50Ms),
      String(f.latency.p95Ms),
      String(f.latency.p99Ms),
      '',
      '',
      '',
      hostCell(f.host),
    ]);
  }
  for (const g of gws) {
    const floor = floors.find((f) => f.run === g.run) ?? floors[0];
    const ratio =
      g.driver === 'pg' && g.mode === 'closed' && floor
        ? (g.perSecond / floor.perSecond).toFixed(2)
        : '';
    rows.push([
      g.mode === 'fixed'
        ? `delegations ${g.driver}, ${g.offered}/s offered`
        : `delegations ${g.driver}, closed loop`,
      String(g.run),
      String(Math.round(g.perSecond)),
      String(g.latency.p50Ms),
      String(g.latency.p95Ms),
      String(g.latency.p99Ms),
      ratio,
      `${g.memory.senderPeakRssMb}/${g.memory.receiverPeakRssMb}`,
      `${g.cpuMsPerDelegation.toFixed(2)}/${g.receiverCpuMsPerDelegation.toFixed(2)}`,
      hostCell(g.host),
    ]);
  }
  return pad(rows);
}
