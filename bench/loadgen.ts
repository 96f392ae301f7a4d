/**
 * The HTTP load generator (undici): a closed loop of `concurrency` requests in flight over
 * keep-alive connections, `n` requests in all. Used for the floor.
 */
import { performance } from 'node:perf_hooks';
import { Pool } from 'undici';
import { summarise, type LatencySummary } from './stats';

export interface HttpRunResult {
  requests: number;
  errors: number;
  seconds: number;
  perSecond: number;
  latency: LatencySummary;
}

export async function httpClosedLoop(
  url: string,
  a: {
    path: string;
    body: string;
    n: number;
    concurrency: number;
    onProgress?: (done: number) => void;
  },
): Promise<HttpRunResult> {
  const pool = new Pool(url, {
    connections: a.concurrency,
    pipelining: 1,
    keepAliveTimeout: 10_000,
  });
  const lat: number[] = [];
  let issued = 0;
  let errors = 0;
  const started = performance.now();
  const ticker = setInterval(() => a.onProgress?.(lat.length + errors), 1000);
  const worker = async () => {
    while (issued < a.n) {
      issued++;
      const t = performance.now();
      try {
        const res = await pool.request({
          method: 'POST',
          path: a.path,
          body: a.body,
          headers: { 'content-type': 'application/json' },
        });
        await res.body.dump();
        if (res.statusCode >= 400) errors++;
        else lat.push(performance.now() - t);
      } catch {
        errors++;
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: a.concurrency }, worker));
  } finally {
    clearInterval(ticker);
    await pool.close();
  }
  const seconds = (performance.now() - started) / 1000;
  return {
    requests: lat.length,
    errors,
    seconds,
    perSecond: lat.length / seconds,
    latency: summarise(lat),
  };
}
