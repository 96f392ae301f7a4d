/**
 * Bench child: the floor. A bare express server that does one PostgreSQL INSERT per request
 * (autocommit, durable) with the gateway's pool size: what any HTTP service writing to this
 * database can do on this machine. The gateway is measured against it in the same run.
 */
import type { Server } from 'node:http';
import express from 'express';
import pg from 'pg';
import { serveParent } from './proc';

let server: Server | undefined;
let pool: pg.Pool | undefined;

async function start(a: { databaseUrl: string; schema: string; poolMax: number }) {
  pool = new pg.Pool({
    connectionString: a.databaseUrl,
    max: a.poolMax,
    options: `-c search_path=${a.schema}`,
  });
  await pool.query(`CREATE SCHEMA IF NOT EXISTS ${a.schema}`);
  await pool.query(
    'CREATE TABLE IF NOT EXISTS floor_items (id bigserial PRIMARY KEY, payload text NOT NULL, created_at timestamptz NOT NULL DEFAULT now())',
  );
  const p = pool;
  const app = express();
  app.disable('x-powered-by');
  app.use(express.json({ limit: '256kb' }));
  app.post('/items', (req, res, next) => {
    p.query('INSERT INTO floor_items (payload) VALUES ($1) RETURNING id', [
      JSON.stringify(req.body),
    ]).then((r) => res.status(201).json({ id: String((r.rows[0] as { id: string }).id) }), next);
  });
  server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  server.keepAliveTimeout = 15_000;
  const addr = server.address();
  return {
    url: `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`,
    pid: process.pid,
  };
}

async function usage() {
  const u = process.resourceUsage();
  return {
    rssMb: Math.round(process.memoryUsage().rss / 2 ** 20),
    cpuSeconds: (u.userCPUTime + u.systemCPUTime) / 1e6,
  };
}

serveParent({ start, usage }, async () => {
  await new Promise<void>((resolve) => {
    if (!server) return resolve();
    server.close(() => resolve());
    server.closeAllConnections();
  });
  await pool?.end();
});
