import type { Queryable } from './types';

/**
 * Planner statistics kept current for this store's own tables (PostgreSQL).
 *
 * Why: the exchange's hot transactions run with generic plans (`TxOptions.genericPlans`), made
 * once per connection and statement from the statistics of the moment. A plan made while a
 * table was empty scans it whole, and would keep doing so as the table grows (measured: a
 * receipt-linking UPDATE at 15 ms instead of 0.3). Every ANALYZE invalidates the plans that read
 * the table, so the next call plans again with the new figures. autovacuum does the same, but it
 * looks at most once a minute and may be off (it is off on the development machine); this keeper
 * looks every `everyMs` and analyses a table once the rows changed since its last analysis
 * outnumber the rows it had then, plus `MIN_CHANGES`: after 100, 300, 700… changes on a growing
 * table, so a plan is never used on a table more than about twice the size it was made for,
 * and a large steady table is hardly ever analysed.
 */
export const MIN_CHANGES = 100;

/**
 * The statistics target of the keeper's analyses (PostgreSQL's default is 100): 300 × this many
 * rows sampled. The plans this keeper protects need the table's size and rough distinct counts,
 * not fine histograms; a 3,000-row sample gives them at a sixth of the cost (measured on a
 * 20,000-row copy of `messages`: 78–88 ms at 100, 14–15 ms at 10). autovacuum's analyses, where
 * it runs, keep the server's default.
 */
export const ANALYZE_TARGET = 10;

/** The tables of the current schema that are due, by the rule above. */
const DUE_SQL = `
SELECT s.relname AS name
  FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid
 WHERE s.schemaname = current_schema()
   AND s.n_mod_since_analyze >= $1 + GREATEST(c.reltuples, 0)
 ORDER BY s.relname`;

/** Analyse the tables that are due; says which. */
export async function analyzeDue(q: Queryable): Promise<string[]> {
  const due = await q.query<{ name: string }>(DUE_SQL, [MIN_CHANGES]);
  for (const { name } of due.rows)
    // one simple-protocol query: SET LOCAL ends with its implicit transaction
    await q.exec(
      `SET LOCAL default_statistics_target = ${ANALYZE_TARGET}; ANALYZE ${quoteIdent(name)}`,
    );
  return due.rows.map((r) => r.name);
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export interface StatisticsKeeper {
  /** Stop looking; resolves once a running analysis has finished. */
  stop(): Promise<void>;
}

/**
 * Run `analyzeDue` every `everyMs` (never two at once). The first failure of a run of failures
 * goes to `onError` (a database that is down for an hour is one warning, not 1,800).
 */
export function keepStatistics(
  q: Queryable,
  everyMs: number,
  onError: (e: unknown) => void,
): StatisticsKeeper {
  let running: Promise<void> = Promise.resolve();
  let busy = false;
  let failing = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    running = analyzeDue(q)
      .then(
        () => {
          failing = false;
        },
        (e: unknown) => {
          if (!failing) onError(e);
          failing = true;
        },
      )
      .finally(() => {
        busy = false;
      });
  }, everyMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
