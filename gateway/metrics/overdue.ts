import { slaClock } from '../cases/sla-clock';
import type { DelegationStatus } from '../cases/transitions';
import type { CityDirectory } from '../config/city-directory';
import type { Queryable } from '../store';

/** Statuses in which the SLA clock runs (gateway/cases/sla-clock.ts); others are never overdue. */
const RUNNING: readonly DelegationStatus[] = ['delivered', 'accepted', 'under_review'];

interface Group {
  city: string;
  status: DelegationStatus;
  lo: Date;
  hi: Date;
  n: number;
}

/**
 * Count items past their decision deadline, cheaply enough to run on every scrape: rows are
 * grouped per (city, status, minute of receipt) in SQL and the working-day calendar is run on
 * the first and last receipt of each group only. A deadline is monotone in the receipt time, so
 * when both ends agree the whole group does; a group that straddles a deadline (rare) is
 * counted row by row.
 */
async function countOverdue(
  q: Queryable,
  cities: CityDirectory,
  now: Date,
  from: { table: 'delegations' | 'inbox_items'; cityExpr: string },
): Promise<number> {
  const { rows } = await q.query<Group>(
    `SELECT ${from.cityExpr} AS city, status, min(received_at) AS lo, max(received_at) AS hi, count(*)::int AS n
       FROM ${from.table}
      WHERE status = ANY($1::text[]) AND received_at IS NOT NULL
      GROUP BY 1, 2, date_trunc('minute', received_at)`,
    [RUNNING],
  );
  const overdue = (city: string, at: Date, status: DelegationStatus) =>
    slaClock(cities, city, at, status, now)?.overdue === true;
  let n = 0;
  for (const g of rows) {
    const lo = overdue(g.city, g.lo, g.status);
    const hi = overdue(g.city, g.hi, g.status);
    if (lo === hi) {
      if (lo) n += g.n;
      continue;
    }
    const each = await q.query<{ received_at: Date }>(
      `SELECT received_at FROM ${from.table}
        WHERE ${from.cityExpr} = $1 AND status = $2 AND received_at BETWEEN $3 AND $4`,
      [g.city, g.status, g.lo, g.hi],
    );
    for (const r of each.rows) if (overdue(g.city, r.received_at, g.status)) n++;
  }
  return n;
}

/**
 * Overdue decisions on both sides: delegations this city sent that a penalising city has not
 * decided in time, and inbox items this city owes a decision on.
 */
export async function overdueCounts(
  q: Queryable,
  cities: CityDirectory,
  self: string,
  now: Date,
): Promise<{ registration: number; penalising: number }> {
  return {
    registration: await countOverdue(q, cities, now, {
      table: 'delegations',
      cityExpr: 'penalising_city',
    }),
    penalising: await countOverdue(q, cities, now, {
      table: 'inbox_items',
      cityExpr: `'${self.replace(/[^0-9]/g, '')}'::text`,
    }),
  };
}
