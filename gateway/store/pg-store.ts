import { dropAfterCommit, openAfterCommit, runAfterCommit } from './before-commit';
import { committedAnyway, offerCommitWith } from './commit-with';
import pg from 'pg';
import { keepStatistics } from './statistics';
import type { Queryable, QueryResult, Store, TxOptions } from './types';

const INT8_OID = 20;
const NUMERIC_SAFE = (v: string): number => {
  const n = Number(v);
  if (!Number.isSafeInteger(n))
    throw new RangeError(`int8 value ${v} exceeds the safe integer range`);
  return n;
};

const typeParsers = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8_OID) return NUMERIC_SAFE;
    return pg.types.getTypeParser(oid, format);
  },
} as pg.CustomTypesConfig;

/** Validates a schema name before it is interpolated into `SET search_path`. */
export function assertSchemaName(schema: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`invalid schema name: ${schema}`);
  return schema;
}

/** Most distinct statements prepared per process; others run unnamed. */
const MAX_PREPARED = 512;

/**
 * Named (server-side prepared) statements for parameterised queries: PostgreSQL parses and
 * plans each statement once per connection instead of on every call, which is a fifth of the
 * exchange's throughput on a small database host. If a table a statement reads changes shape
 * under it (a rolling upgrade's migration), PostgreSQL refuses the stale plan once; the
 * statement then gets a fresh name and is prepared again on its next use.
 */
function preparedNames(enabled: boolean) {
  const names = new Map<string, string>();
  let next = 0;
  return {
    nameOf(sql: string): string | undefined {
      if (!enabled) return undefined;
      let n = names.get(sql);
      if (n === undefined && names.size < MAX_PREPARED) names.set(sql, (n = `tongban_${next++}`));
      return n;
    },
    failed(sql: string, e: unknown): void {
      // 0A000 "cached plan must not change result type"; 26000 the statement is gone.
      const code = (e as { code?: string }).code;
      if (code === '0A000' || code === '26000') names.set(sql, `tongban_${next++}`);
    },
  };
}

/**
 * Run `send` with the connection's socket corked, so that what it writes (a lazy BEGIN and the
 * statement behind it) leaves in one write: one wake-up of the database server instead of two.
 * A pool (no socket of its own) just sends.
 */
function corked<T>(c: pg.Pool | pg.PoolClient, send: () => T): T {
  const stream = (c as { connection?: { stream?: { cork?(): void; uncork?(): void } } }).connection
    ?.stream;
  if (!stream?.cork || !stream.uncork) return send();
  stream.cork();
  try {
    return send();
  } finally {
    stream.uncork();
  }
}

/** PostgreSQL's unique_violation and duplicate_schema. */
const SCHEMA_CREATED_ELSEWHERE = new Set(['23505', '42P06']);

/**
 * CREATE SCHEMA IF NOT EXISTS is not safe against itself: two replicas starting together on a new
 * schema both find it missing, and the one that commits second fails on pg_namespace's unique
 * index. Losing that race means the schema is there (committed by the winner), so it is not an
 * error.
 */
async function createSchema(pool: pg.Pool, schema: string): Promise<void> {
  try {
    await pool.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
  } catch (e) {
    if (!SCHEMA_CREATED_ELSEWHERE.has((e as { code?: string }).code ?? '')) throw e;
  }
}

const BEGIN_GENERIC = 'BEGIN; SET LOCAL plan_cache_mode = force_generic_plan';

/** PostgreSQL through `pg`: the production store. `schema` isolates one city (or one test). */
export async function openPgStore(
  url: string,
  opts: {
    schema?: string;
    max?: number;
    prepare?: boolean;
    /** How often to look for tables due an ANALYZE (statistics.ts); 0: never. Default 2 s. */
    analyzeEveryMs?: number;
    onAnalyzeError?: (e: unknown) => void;
  } = {},
): Promise<Store> {
  const schema = opts.schema ? assertSchemaName(opts.schema) : undefined;
  // Session settings go in the startup packet, so every pooled connection starts with them: the
  // schema, and custom plans by default. Prepared statements save the parse; PostgreSQL's own
  // choice (`auto`) would switch to a generic plan made once on a young, near-empty table and
  // keep it (a sequential scan where an index scan is needed once the table has grown; measured
  // in the bench: a receipt-linking UPDATE at 3.2 ms instead of 0.4). Hot transactions ask for
  // generic plans explicitly (TxOptions.genericPlans), with the statistics kept current below.
  const options = [
    ...(schema ? [`-c search_path=${schema}`] : []),
    '-c plan_cache_mode=force_custom_plan',
  ].join(' ');
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.max ?? 10,
    types: typeParsers,
    options,
    // Statements are written without waiting for the previous one's answer (node-postgres
    // pipelining); each is still answered in order, with its own result or error. What this
    // buys: a transaction's BEGIN travels with its first statement (tx below), and statements a
    // caller issues together share a round trip.
    pipeline: true,
  });
  if (schema) await createSchema(pool, schema);
  // A connection that dies while idle must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);

  const prepared = preparedNames(opts.prepare !== false);
  // `before`: called synchronously just before a statement is written (a transaction's lazy
  // BEGIN goes out in the same write, see tx below).
  const wrap = (c: pg.Pool | pg.PoolClient, before?: () => void): Queryable => ({
    async query<R>(sql: string, params?: unknown[]): Promise<QueryResult<R>> {
      const name = params && params.length > 0 ? prepared.nameOf(sql) : undefined;
      try {
        const sent = corked(c, () => {
          before?.();
          return name
            ? c.query({ name, text: sql, values: params })
            : c.query(sql, params as unknown[]);
        });
        const r = await sent;
        return { rows: r.rows as R[], rowCount: r.rowCount ?? 0 };
      } catch (e) {
        if (name) prepared.failed(sql, e);
        throw e;
      }
    },
    async exec(sql: string): Promise<void> {
      // no parameters: the simple protocol runs every statement
      await corked(c, () => {
        before?.();
        return c.query(sql);
      });
    },
  });

  const self = wrap(pool);
  const analyzeEveryMs = opts.analyzeEveryMs ?? 2000;
  const keeper =
    analyzeEveryMs > 0
      ? keepStatistics(self, analyzeEveryMs, opts.onAnalyzeError ?? (() => undefined))
      : undefined;
  const store: Store = {
    driver: 'pg',
    query: self.query,
    exec: self.exec,
    async tx<T>(fn: (q: Queryable) => Promise<T>, txOpts?: TxOptions): Promise<T> {
      const client = await pool.connect();
      // BEGIN is not a round trip of its own: it is written together with the transaction's
      // first statement (the connections pipeline, see the pool above) and its answer read with
      // that statement's. A transaction that runs no statement sends nothing. BEGIN cannot fail
      // on its own short of a broken connection, which fails the statement behind it too; its
      // own answer is still awaited before COMMIT.
      let begun: Promise<unknown> | undefined;
      // Set once the last statement went out with the COMMIT (commit-with.ts).
      let committing: Promise<pg.QueryResult> | undefined;
      const begin = () => {
        if (committing) throw new Error('statement after the transaction was committed');
        if (begun) return;
        begun = client.query(txOpts?.genericPlans ? BEGIN_GENERIC : 'BEGIN');
        begun.catch(() => undefined); // awaited below; a failure shows there or in the statement
      };
      const q = wrap(client, begin);
      openAfterCommit(q, store); // the Store itself: what storeOf(q) names
      offerCommitWith(q, <R>(sql: string, params?: unknown[]) =>
        // (BEGIN if not yet sent,) the statement and COMMIT in one write of the corked socket
        committing
          ? Promise.reject(new Error('statement after the transaction was committed'))
          : corked(client, () => {
              const result = q.query<R>(sql, params);
              committing = client.query('COMMIT');
              committing.catch(() => undefined); // awaited below
              return result;
            }),
      );
      try {
        const out = await fn(q);
        if (committing) {
          // A failed statement before it turned the COMMIT into a rollback (its error has
          // reached `fn`, which would not normally resolve); never report that as done.
          if ((await committing).command !== 'COMMIT')
            throw new Error('the transaction was rolled back at COMMIT');
        } else if (begun) {
          await begun;
          await client.query('COMMIT');
        }
        runAfterCommit(q);
        return out;
      } catch (e) {
        // After a COMMIT that went out with the last statement there is nothing to roll back
        // (it committed, or the failed statement made it a rollback); else roll back.
        if (committing) {
          const r = await committing.catch(() => undefined);
          if (r?.command === 'COMMIT') {
            // `fn` failed after its last statement committed (a bug): the work is durable, so
            // it must not be run again as if it had not happened.
            runAfterCommit(q);
            throw committedAnyway(e);
          }
        } else if (begun) await client.query('ROLLBACK').catch(() => undefined);
        dropAfterCommit(q);
        throw e;
      } finally {
        client.release();
      }
    },
    async close() {
      await keeper?.stop();
      await pool.end();
    },
  };
  return store;
}
