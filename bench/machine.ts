import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

const ROOT = join(__dirname, '..');

function pkgVersion(name: string): string | undefined {
  try {
    return (
      JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as {
        version: string;
      }
    ).version;
  } catch {
    return undefined;
  }
}

function gitCommit(): string | undefined {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
      cwd: ROOT,
      encoding: 'utf8',
    }).trim();
    const dirty =
      execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], {
        cwd: ROOT,
        encoding: 'utf8',
      }).trim() !== '';
    return dirty ? `${head}+dirty` : head;
  } catch {
    return undefined;
  }
}

export function machine() {
  const cpus = os.cpus();
  return {
    hostname: os.hostname(),
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    cpuModel: cpus[0]?.model,
    cpus: cpus.length,
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    loadAverage: os.loadavg().map((x) => Math.round(x * 100) / 100),
  };
}

export async function versions(databaseUrl?: string) {
  let postgres: string | undefined;
  let catalogWarning: string | undefined;
  if (databaseUrl) {
    const c = new pg.Client({ connectionString: databaseUrl });
    await c.connect();
    try {
      const r = await c.query<{ v: string; sc: string; fs: string; av: string; dead: number }>(
        `SELECT current_setting('server_version') AS v, current_setting('synchronous_commit') AS sc,
                current_setting('fsync') AS fs, current_setting('autovacuum') AS av,
                (SELECT coalesce(sum(n_dead_tup), 0)::int FROM pg_stat_sys_tables
                  WHERE relname IN ('pg_attribute', 'pg_class', 'pg_depend')) AS dead`,
      );
      const row = r.rows[0];
      postgres = row
        ? `${row.v} (synchronous_commit=${row.sc}, fsync=${row.fs}, autovacuum=${row.av})`
        : undefined;
      // Every run creates and drops schemas: without autovacuum the catalogs fill with dead
      // rows, and every new connection and plan reads them (the figures drift over a day).
      if (row && (row.av !== 'on' || row.dead > 100_000))
        catalogWarning = `PostgreSQL: autovacuum=${row.av}, ${row.dead} dead rows in pg_attribute, pg_class and pg_depend; VACUUM them (or turn autovacuum on) for figures comparable across runs`;
    } finally {
      await c.end();
    }
  }
  const tongban = (
    JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }
  ).version;
  return {
    tongban,
    commit: gitCommit(),
    node: process.version,
    v8: process.versions.v8,
    postgres,
    /** Set when the server's catalogs are likely bloated (see above). */
    warning: catalogWarning,
    pg: pkgVersion('pg'),
    pglite: pkgVersion('@electric-sql/pglite'),
    express: pkgVersion('express'),
    undici: pkgVersion('undici'),
    promClient: pkgVersion('prom-client'),
  };
}
