/**
 * The setting of the delivery tests (delivery.test.ts, delivery-order.test.ts): Harbin,
 * Hangzhou and Kunming on PostgreSQL, Harbin reaching the other two through TCP proxies that
 * the tests switch to refuse, cut or drop; Harbin restarted with default settings after each
 * test. Call inside a describe: it registers the hooks.
 */
import type { StartOptions } from '../../gateway/runtime/start';
import { caseBody, decisionNo, HANGZHOU, HARBIN, KUNMING, record } from '../chaos/fixtures';
import { startFederation, type TestFederation } from '../support/federation';
import { api } from '../support/http';
import { TcpProxy } from '../support/tcp-proxy';

export const FAST = { pollMs: 50, baseDelayMs: 50, maxDelayMs: 400, timeoutMs: 1500 };

export function deliveryWorld() {
  let fed: TestFederation;
  let toKunming: TcpProxy;
  let toHangzhou: TcpProxy;
  let officer: string;
  let supervisor: string;
  let n = 100;

  const g = (c: string) => fed.gw[c]!;
  const sql = async <R = any>(c: string, text: string, params: unknown[] = []) =>
    (await g(c).gw.store.query<R>(text, params)).rows;
  const one = async <R = any>(c: string, text: string, params: unknown[] = []) =>
    (await sql<R>(c, text, params))[0];

  /** Harbin reaches its peers through the proxies, with these delivery settings. */
  async function restartHarbin(extra: Partial<StartOptions> = {}) {
    const urls = Object.fromEntries(Object.entries(fed.gw).map(([c, r]) => [c, r.url]));
    await fed.restart(HARBIN, {
      urlOverrides: { ...urls, [KUNMING]: toKunming.url, [HANGZHOU]: toHangzhou.url },
      delivery: FAST,
      ...extra,
    });
  }

  /** A case with one record for `city`, filed at Harbin by the officer. */
  async function fileCase(city: string) {
    const res = await api(g(HARBIN).url, 'POST', '/api/v1/cases', {
      token: officer,
      json: caseBody([record(city, decisionNo(city, n++))]),
    });
    expect(res.status).toBe(201);
    return { caseId: res.body.id as string, delegationId: res.body.delegations[0].id as string };
  }

  const outbox = (delegationId: string, type = 'delegation.create') =>
    one(HARBIN, 'SELECT * FROM outbox WHERE delegation_id = $1 AND type = $2', [
      delegationId,
      type,
    ]);
  const delegationStatus = async (id: string) =>
    (await one(HARBIN, 'SELECT status FROM delegations WHERE id = $1', [id]))?.status;
  const inbox = (city: string, id: string) =>
    one(city, 'SELECT * FROM inbox_items WHERE id = $1', [id]);

  beforeAll(async () => {
    fed = await startFederation([HARBIN, HANGZHOU, KUNMING], { delivery: FAST });
    toKunming = await TcpProxy.start({ upstreams: [g(KUNMING).port] });
    toHangzhou = await TcpProxy.start({ upstreams: [g(HANGZHOU).port] });
    officer = await fed.token(HARBIN);
    supervisor = await fed.token(HARBIN, 'supervisor');
    await restartHarbin();
  });
  afterEach(async () => {
    toKunming.setMode('pass');
    toHangzhou.setMode('pass');
    toKunming.dropRate = 0;
    toHangzhou.dropRate = 0;
    await restartHarbin(); // default settings, fresh breaker, worker running
  });
  afterAll(async () => {
    await fed.close();
    await toKunming.close();
    await toHangzhou.close();
  });

  return {
    get fed() {
      return fed;
    },
    get toKunming() {
      return toKunming;
    },
    get toHangzhou() {
      return toHangzhou;
    },
    get officer() {
      return officer;
    },
    get supervisor() {
      return supervisor;
    },
    /** A fresh number for decision numbers, unique in this file. */
    next: () => n++,
    g,
    sql,
    one,
    restartHarbin,
    fileCase,
    outbox,
    delegationStatus,
    inbox,
  };
}
