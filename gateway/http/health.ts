import { Router } from 'express';
import type { Gateway } from '../runtime/context';

export type ReadinessCheck = () => Promise<{ ok: boolean; detail?: string }>;

/** /healthz: the process is up. /readyz: every registered check passes (JSON detail otherwise). */
export function healthRouter(
  gw: Gateway,
  extraChecks: Record<string, ReadinessCheck> = {},
): Router {
  const r = Router();
  r.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  const checks: Record<string, ReadinessCheck> = {
    database: async () => {
      await gw.store.query('SELECT 1');
      return { ok: true };
    },
    config: async () => ({ ok: true, detail: `${gw.cities.all().length} city configs` }),
    keys: async () => ({ ok: Boolean(gw.key.kid), detail: `kid ${gw.key.kid}` }),
    ...extraChecks,
  };
  r.get('/readyz', async (_req, res) => {
    const out: Record<string, { ok: boolean; detail?: string }> = {};
    await Promise.all(
      Object.entries(checks).map(async ([name, check]) => {
        try {
          out[name] = await check();
        } catch (e) {
          out[name] = { ok: false, detail: (e as Error).message };
        }
      }),
    );
    const ready = Object.values(out).every((c) => c.ok);
    res
      .status(ready ? 200 : 503)
      .json({ status: ready ? 'ready' : 'not_ready', city: gw.self.id, checks: out });
  });
  return r;
}
