import { join } from 'node:path';
import { verifyContext } from '../../../gateway/exchange/verify-context';
import {
  readPrivateKeyFile,
  sha256Digest,
  signEnvelope,
  verifyEnvelope,
  type CityKey,
  type Envelope,
} from '../../../gateway/signing';
import { caseBody, decisionNo, HANGZHOU, HARBIN, record } from '../../chaos/fixtures';
import { b64, DELEGATIONS, delegationEnvelope, unb64 } from './batch-fixtures';
import { eventually, startFederation, type TestFederation } from '../../support/federation';
import { api } from '../../support/http';
import { startProxy, type Proxy } from '../../support/recording-proxy';

/**
 * POST /exchange/v1/batch: each item is verified and applied exactly as a single POST to its
 * path, answered in order; the container itself is checked like any JSON request; the delivery
 * worker packs messages to one peer into batches and falls back to single requests when a peer
 * refuses them. Assertions are on rows, bytes and request counts, never on timings.
 */
const LIMIT = 32 * 1024; // bodyLimitBytes: a batch may be 4 × this
describe('POST /exchange/v1/batch (two gateways on loopback, PostgreSQL)', () => {
  let fed: TestFederation;
  let harbinKey: CityKey;
  let proxy: Proxy;
  let officer: string;
  let n = 500;
  const g = (c: string) => fed.gw[c]!;
  const sql = async <R = any>(c: string, text: string, params: unknown[] = []) =>
    (await g(c).gw.store.query<R>(text, params)).rows;

  const envelope = (): Envelope => delegationEnvelope(9);
  const delegationOf = (env: Envelope) => (env.body as { delegationId: string }).delegationId;
  const batch = (messages: { path: string; jws: string }[]) =>
    api(g(HANGZHOU).url, 'POST', '/exchange/v1/batch', { json: { messages } });
  /** What Hangzhou holds: ledger size, message index rows and inbox items. */
  const state = async () => {
    const [r] = await sql<{ ledger: number; messages: number; inbox: number }>(
      HANGZHOU,
      `SELECT (SELECT size FROM ledger_head)::int AS ledger,
              (SELECT count(*) FROM messages)::int AS messages,
              (SELECT count(*) FROM inbox_items)::int AS inbox`,
    );
    return r!;
  };
  /** Rows Hangzhou keeps of one message: ledger entries, index rows, inbox items. */
  const traces = async (env: Envelope) => {
    const [r] = await sql<{ ledger: number; messages: number; inbox: number }>(
      HANGZHOU,
      `SELECT (SELECT count(*) FROM ledger_entries WHERE message_id = $1)::int AS ledger,
              (SELECT count(*) FROM messages WHERE id = $1)::int AS messages,
              (SELECT count(*) FROM inbox_items WHERE id = $2)::int AS inbox`,
      [env.id, delegationOf(env)],
    );
    return r!;
  };

  beforeAll(async () => {
    fed = await startFederation([HARBIN, HANGZHOU], { bodyLimitBytes: LIMIT });
    harbinKey = readPrivateKeyFile(join(fed.keysDir, `${HARBIN}.private.jwk.json`));
    officer = await fed.token(HARBIN);
    proxy = await startProxy(() => g(HANGZHOU).url);
    const urls = Object.fromEntries(Object.entries(fed.gw).map(([c, r]) => [c, r.url]));
    await fed.restart(HARBIN, { urlOverrides: { ...urls, [HANGZHOU]: proxy.url } });
  });
  afterAll(async () => {
    await fed.close();
    await new Promise((r) => proxy.server.close(r));
  });

  describe('receiving', () => {
    it('applies each message as a single POST would and answers each with its signed receipt', async () => {
      const envs = [envelope(), envelope(), envelope()];
      const signed = envs.map((e) => signEnvelope(e, harbinKey));
      const res = await batch(signed.map((s) => ({ path: DELEGATIONS, jws: b64(s.bytes) })));
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.body.results).toHaveLength(3);
      for (const [i, env] of envs.entries()) {
        const item = res.body.results[i];
        expect(item).toMatchObject({ status: 200 });
        // the receipt is signed by Hangzhou for Harbin and names the exact bytes sent
        const receipt = await verifyEnvelope(
          unb64(item.jws),
          verifyContext(g(HARBIN).gw, 'receipt'),
        );
        expect(receipt.envelope).toMatchObject({ type: 'receipt', from: HANGZHOU, to: HARBIN });
        const body = receipt.envelope.body as { messageId: string; messageDigest: string };
        expect(body.messageId).toBe(env.id);
        expect(body.messageDigest).toBe(sha256Digest(signed[i]!.bytes));
        const rows = await sql<{ data: Uint8Array }>(
          HANGZHOU,
          'SELECT data FROM ledger_entries WHERE message_id = $1',
          [env.id],
        );
        expect(rows).toHaveLength(1);
        expect(Buffer.from(rows[0]!.data).equals(Buffer.from(signed[i]!.bytes))).toBe(true);
        expect(await traces(env)).toEqual({ ledger: 1, messages: 1, inbox: 1 });
      }
    });

    it('answers each item on its own: one accepted, a tampered one, an unknown path and a replay', async () => {
      const earlier = envelope();
      const earlierBytes = signEnvelope(earlier, harbinKey).bytes;
      const first = await api(g(HANGZHOU).url, 'POST', DELEGATIONS, {
        body: earlierBytes,
        headers: { 'content-type': 'application/jose+json' },
      });
      expect(first.status).toBe(200);

      const [ok, tampered, lost] = [envelope(), envelope(), envelope()];
      const t = JSON.parse(signEnvelope(tampered, harbinKey).text);
      const payload = Buffer.from(t.payload, 'base64url')
        .toString('utf8')
        .replace('杭州市交通运输局', '杭州市交通运输厅');
      const tamperedText = JSON.stringify({
        ...t,
        payload: Buffer.from(payload).toString('base64url'),
      });
      const before = await state();
      const res = await batch([
        { path: DELEGATIONS, jws: b64(signEnvelope(ok, harbinKey).bytes) },
        { path: DELEGATIONS, jws: b64(Buffer.from(tamperedText)) },
        { path: '/exchange/v1/nowhere', jws: b64(signEnvelope(lost, harbinKey).bytes) },
        { path: DELEGATIONS, jws: b64(earlierBytes) },
      ]);
      expect(res.status).toBe(200);
      const [r0, r1, r2, r3] = res.body.results;
      expect(r0.status).toBe(200);
      expect(r1).toMatchObject({ status: 401, problem: { status: 401, code: 'bad_signature' } });
      expect(r2).toMatchObject({
        status: 404,
        problem: { code: 'not_found', pointer: '/messages/2/path' },
      });
      // the replay gets the original receipt, byte for byte
      expect(r3.status).toBe(200);
      expect(Buffer.from(unb64(r3.jws)).toString('utf8')).toBe(first.text);

      expect(await traces(ok)).toEqual({ ledger: 1, messages: 1, inbox: 1 });
      expect(await traces(tampered)).toEqual({ ledger: 0, messages: 0, inbox: 0 });
      expect(await traces(lost)).toEqual({ ledger: 0, messages: 0, inbox: 0 });
      expect(await traces(earlier)).toEqual({ ledger: 1, messages: 1, inbox: 1 });
      // only the accepted message and its receipt were added
      expect(await state()).toEqual({
        ledger: before.ledger + 2,
        messages: before.messages + 2,
        inbox: before.inbox + 1,
      });
    });

    it('applies a batch like messages one after another: a re-issued delegation is a duplicate, a clash refused alone', async () => {
      const a = envelope();
      // the same delegation re-issued under a new message id, in the same batch
      const again: Envelope = { ...envelope(), body: a.body };
      const b = envelope();
      // another city's message claiming Harbin's delegation id: refused, the others unharmed
      const other: Envelope = {
        ...envelope(),
        body: { ...(a.body as object), registrationCity: HANGZHOU },
      };
      const before = await state();
      const res = await batch(
        [a, again, b, other].map((e) => ({
          path: DELEGATIONS,
          jws: b64(signEnvelope(e, harbinKey).bytes),
        })),
      );
      expect(res.status).toBe(200);
      const results = res.body.results as {
        status: number;
        jws?: string;
        problem?: { code: string };
      }[];
      const resultOf = async (i: number) =>
        (
          (await verifyEnvelope(unb64(results[i]!.jws!), verifyContext(g(HARBIN).gw, 'receipt')))
            .envelope.body as { result: unknown }
        ).result;
      expect(results.map((r) => r.status)).toEqual([200, 200, 200, 400]);
      expect(await resultOf(0)).toEqual({ status: 'delivered' });
      expect(await resultOf(1)).toEqual({ status: 'delivered', duplicate: true });
      expect(await resultOf(2)).toEqual({ status: 'delivered' });
      expect(results[3]!.problem).toMatchObject({ code: 'validation_failed' });
      expect(await traces(a)).toMatchObject({ inbox: 1 });
      expect(await traces(b)).toMatchObject({ inbox: 1 });
      expect(await traces(other)).toEqual({ ledger: 0, messages: 0, inbox: 1 }); // a's item
      // three messages and three receipts; two inbox items
      expect(await state()).toEqual({
        ledger: before.ledger + 6,
        messages: before.messages + 6,
        inbox: before.inbox + 2,
      });
    });

    const huge = () =>
      JSON.stringify({
        messages: [
          { path: DELEGATIONS, jws: b64(signEnvelope(envelope(), harbinKey).bytes) },
          { path: DELEGATIONS, jws: 'A'.repeat(4 * LIMIT) },
        ],
      });
    const JSON_TYPE = 'application/json';
    it.each([
      ['a text/plain body', 415, 'unsupported_media_type', 'text/plain', () => 'hello'],
      ['an object without messages', 400, 'validation_failed', JSON_TYPE, () => '{}'],
      ['invalid JSON', 400, 'malformed_json', JSON_TYPE, () => '{"messages":['],
      ['a body over 4 × bodyLimitBytes', 413, 'payload_too_large', JSON_TYPE, huge],
    ])('refuses %s with %i %s and changes nothing', async (_name, status, code, type, body) => {
      const before = await state();
      const res = await api(g(HANGZHOU).url, 'POST', '/exchange/v1/batch', {
        body: body(),
        headers: { 'content-type': type },
      });
      expect(res.status).toBe(status);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({ status, code });
      if (code === 'validation_failed') expect(res.body.pointer).toBe('/messages');
      expect(await state()).toEqual(before);
    });
  });

  describe('sending', () => {
    /** File `count` cases to Hangzhou while Harbin's worker is stopped, then let it go. */
    async function fileWhileStopped(count: number) {
      await g(HARBIN).delivery.stop();
      const ids: string[] = [];
      for (let i = 0; i < count; i++) {
        const res = await api(g(HARBIN).url, 'POST', '/api/v1/cases', {
          token: officer,
          json: caseBody([record(HANGZHOU, decisionNo(HANGZHOU, n++))]),
        });
        expect(res.status).toBe(201);
        ids.push(res.body.delegations[0].id as string);
      }
      proxy.posts = [];
      g(HARBIN).delivery.start();
      return ids;
    }
    const outbox = (ids: string[]) =>
      sql<{ status: string; attempts: number; message_id: string }>(
        HARBIN,
        `SELECT status, attempts, message_id FROM outbox
          WHERE type = 'delegation.create' AND delegation_id = ANY($1)`,
        [ids],
      );
    /** Every message is delivered and landed on Hangzhou exactly once. */
    async function deliveredOnce(ids: string[]) {
      await eventually(
        async () => (await outbox(ids)).every((r) => r.status === 'delivered'),
        'all delivered',
      );
      const rows = await outbox(ids);
      expect(rows).toHaveLength(ids.length);
      const landed = await sql<{ message_id: string; n: number }>(
        HANGZHOU,
        `SELECT message_id, count(*)::int AS n FROM ledger_entries
          WHERE message_id = ANY($1) GROUP BY message_id`,
        [rows.map((r) => r.message_id)],
      );
      expect(landed).toHaveLength(ids.length);
      expect(landed.every((l) => l.n === 1)).toBe(true);
      const inbox = await sql(HANGZHOU, 'SELECT id FROM inbox_items WHERE id = ANY($1)', [ids]);
      expect(inbox).toHaveLength(ids.length);
      return rows;
    }

    it('packs queued messages to one peer into batches: every one delivered once, fewer requests', async () => {
      const ids = await fileWhileStopped(20);
      const rows = await deliveredOnce(ids);
      expect(rows.every((r) => r.attempts === 1)).toBe(true);
      const batches = proxy.posts.filter((p) => p === '/exchange/v1/batch').length;
      const singles = proxy.posts.filter((p) => p === DELEGATIONS).length;
      expect(batches).toBeGreaterThanOrEqual(1);
      expect(batches + singles).toBeLessThan(ids.length);
    });

    it('falls back to single requests when the peer answers a batch with 404, and stops batching to it', async () => {
      proxy.refuseBatch = true;
      const ids = await fileWhileStopped(8);
      await deliveredOnce(ids);
      // tried once: the refusal is remembered before its messages are due again
      expect(proxy.posts.filter((p) => p === '/exchange/v1/batch')).toHaveLength(1);
      expect(proxy.posts.filter((p) => p === DELEGATIONS).length).toBeGreaterThanOrEqual(
        ids.length,
      );
      // the peer stays unbatched: the next messages go one by one at once
      const more = await fileWhileStopped(3);
      await deliveredOnce(more);
      expect(proxy.posts).not.toContain('/exchange/v1/batch');
    });
  });
});
