/**
 * The chaos test's schedule and probes (delivery-chaos.test.ts): kills at random moments,
 * connection cuts, bounded waits and outbox counts. Randomness comes from the run's seeded
 * PRNG, so CHAOS_SEED repeats a schedule.
 */
import type { TcpProxy } from '../support/tcp-proxy';
import { sleep, type GatewayProcess } from './harness';

export type Rows = Record<string, any>[];
export type Query = (sql: string, params?: unknown[]) => Promise<Rows>;

export function schedule(rand: () => number) {
  const between = (lo: number, hi: number) => Math.round(lo + rand() * (hi - lo));
  return {
    between,
    /** Kill the victims `times` times in turn, each after a random gap, down for a random while. */
    async killLoop(
      victims: GatewayProcess[],
      times: number,
      gap: [number, number],
      down: [number, number],
    ): Promise<void> {
      for (let k = 0; k < times; k++) {
        await sleep(between(...gap));
        const v = victims[k % victims.length]!;
        await v.kill();
        await sleep(between(...down));
        await v.start();
      }
    },
    /**
     * Cut every open connection through the proxies every ~0.5–1.5 s until stopped; the stop
     * resolves with the number of connections cut.
     */
    cutter(proxies: TcpProxy[]): () => Promise<number> {
      let on = true;
      let cuts = 0;
      const loop = (async () => {
        while (on) {
          await sleep(between(500, 1500));
          if (!on) break;
          for (const p of proxies) cuts += p.cutAll();
        }
      })();
      return async () => {
        on = false;
        await loop;
        return cuts;
      };
    },
  };
}

/** Open, dead and total outbox rows of one side. */
export async function outboxOpen(q: Query) {
  const r = await q(
    `SELECT count(*) FILTER (WHERE status IN ('pending', 'in_flight'))::int AS open,
            count(*) FILTER (WHERE status = 'dead')::int AS dead, count(*)::int AS total FROM outbox`,
  );
  return r[0]!;
}

/** Poll `check` every 200 ms until it holds; fail after `ms`. */
export async function waitFor(what: string, check: () => Promise<boolean>, ms: number) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await check().catch(() => false)) return;
    await sleep(200);
  }
  throw new Error(`chaos: timed out waiting for ${what}`);
}
