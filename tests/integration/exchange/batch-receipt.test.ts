import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { checkExchange } from '../../../gateway/cli/verify-exchange';
import type { OutboxJob } from '../../../gateway/delivery/claim';
import { readAnswer } from '../../../gateway/delivery/read-answer';
import { verifyContext } from '../../../gateway/exchange/verify-context';
import { contracts } from '../../../gateway/http/contracts';
import {
  acknowledgementOf,
  buildBatchReceipt,
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

/**
 * One signed `receipt.batch` per batch request (contract 1.2.0): the receiver acknowledges all
 * fresh messages of a batch with one signature and one ledger entry; the sender verifies it
 * once, checks each message's entry and stores it once. Assertions are on bytes and rows.
 */
const RECEIPTS = ['receipt', 'receipt.batch'] as const;
describe('receipt.batch (two gateways on loopback, PostgreSQL)', () => {
  let fed: TestFederation;
  let harbinKey: CityKey;
  let hangzhouKey: CityKey;
  let n = 700;
  const g = (c: string) => fed.gw[c]!;
  const sql = async <R = any>(c: string, text: string, params: unknown[] = []) =>
    (await g(c).gw.store.query<R>(text, params)).rows;

  const envelope = (): Envelope => delegationEnvelope(n++);
  const batch = (items: Uint8Array[], receipts?: 'batch' | 'each') =>
    api(g(HANGZHOU).url, 'POST', '/exchange/v1/batch', {
      json: { messages: items.map((b) => ({ path: DELEGATIONS, jws: b64(b) })), receipts },
    });
  const asHarbin = (bytes: Uint8Array) =>
    verifyEnvelope(bytes, verifyContext(g(HARBIN).gw, [...RECEIPTS]));
  /** Hangzhou's ledger size and index rows. */
  const state = async () =>
    (
      await sql<{ ledger: number; messages: number }>(
        HANGZHOU,
        `SELECT (SELECT size FROM ledger_head)::int AS ledger, (SELECT count(*) FROM messages)::int AS messages`,
      )
    )[0]!;
  const ledgerIndexOf = async (c: string, id: string) =>
    (
      await sql<{ idx: number; data: Uint8Array }>(
        c,
        'SELECT idx::int AS idx, data FROM ledger_entries WHERE message_id = $1',
        [id],
      )
    )[0];

  beforeAll(async () => {
    fed = await startFederation([HARBIN, HANGZHOU]);
    harbinKey = readPrivateKeyFile(join(fed.keysDir, `${HARBIN}.private.jwk.json`));
    hangzhouKey = readPrivateKeyFile(join(fed.keysDir, `${HANGZHOU}.private.jwk.json`));
  });
  afterAll(() => fed.close());

  describe('receiving', () => {
    it("acknowledges a batch's fresh messages with ONE signed receipt.batch, logged once", async () => {
      const envs = [envelope(), envelope(), envelope()];
      const signed = envs.map((e) => signEnvelope(e, harbinKey).bytes);
      const before = await state();
      const res = await batch(signed, 'batch');
      expect(res.status).toBe(200);
      expect(res.body.results).toEqual(envs.map(() => ({ status: 200, inReceipt: true })));
      const bytes = unb64(res.body.receipt);
      const receipt = await asHarbin(bytes);
      expect(receipt.envelope).toMatchObject({ type: 'receipt.batch', from: HANGZHOU, to: HARBIN });
      const entries = (receipt.envelope.body as { receipts: unknown[] }).receipts;
      expect(entries).toEqual(
        await Promise.all(
          envs.map(async (e, i) => ({
            messageId: e.id,
            messageType: 'delegation.create',
            messageDigest: sha256Digest(signed[i]!),
            ledgerIndex: (await ledgerIndexOf(HANGZHOU, e.id))!.idx,
            result: { status: 'delivered' },
          })),
        ),
      );
      // three messages and ONE answer in the ledger and the index; the answer's exact bytes
      expect(await state()).toEqual({
        ledger: before.ledger + 4,
        messages: before.messages + 4,
      });
      const logged = await ledgerIndexOf(HANGZHOU, receipt.envelope.id);
      expect(Buffer.from(logged!.data).equals(Buffer.from(bytes))).toBe(true);
      const links = await sql<{ receipt_id: string }>(
        HANGZHOU,
        `SELECT receipt_id FROM messages WHERE id = ANY($1) AND direction = 'in'`,
        [envs.map((e) => e.id)],
      );
      expect(links.map((l) => l.receipt_id)).toEqual(envs.map(() => receipt.envelope.id));
    });

    it('lists only the fresh ones: a refused item gets its problem, a replay its original answer', async () => {
      const earlier = signEnvelope(envelope(), harbinKey).bytes;
      const alone = await api(g(HANGZHOU).url, 'POST', DELEGATIONS, {
        body: earlier,
        headers: { 'content-type': 'application/jose+json' },
      });
      expect(alone.status).toBe(200);
      const [a, b] = [envelope(), envelope()];
      const other = signEnvelope({ ...envelope(), to: HARBIN }, harbinKey).bytes; // not for Hangzhou
      const res = await batch(
        [signEnvelope(a, harbinKey).bytes, other, earlier, signEnvelope(b, harbinKey).bytes],
        'batch',
      );
      const [r0, r1, r2, r3] = res.body.results;
      expect(r0).toEqual({ status: 200, inReceipt: true });
      expect(r1).toMatchObject({ status: 403, problem: { code: 'wrong_audience' } });
      expect(Buffer.from(unb64(r2.jws)).toString('utf8')).toBe(alone.text);
      expect(r3).toEqual({ status: 200, inReceipt: true });
      const receipt = await asHarbin(unb64(res.body.receipt));
      const listed = (receipt.envelope.body as { receipts: { messageId: string }[] }).receipts;
      expect(listed.map((e) => e.messageId)).toEqual([a.id, b.id]);
    });

    it('answers a message first acknowledged in a batch, sent again alone or batched, with that receipt.batch', async () => {
      const signed = [envelope(), envelope()].map((e) => signEnvelope(e, harbinKey).bytes);
      const first = await batch(signed, 'batch');
      const original = Buffer.from(unb64(first.body.receipt)).toString('utf8');
      const before = await state();
      const alone = await api(g(HANGZHOU).url, 'POST', DELEGATIONS, {
        body: signed[1]!,
        headers: { 'content-type': 'application/jose+json' },
      });
      expect(alone.status).toBe(200);
      expect(alone.text).toBe(original);
      const again = await batch(signed, 'batch');
      expect(again.body.receipt).toBeUndefined();
      for (const r of again.body.results as { status: number; jws: string }[]) {
        expect(r.status).toBe(200);
        expect(Buffer.from(unb64(r.jws)).toString('utf8')).toBe(original);
      }
      expect(await state()).toEqual(before);
    });

    it('gives each message its own receipt when the request does not ask for a batch receipt', async () => {
      const envs = [envelope(), envelope()];
      const res = await batch(
        envs.map((e) => signEnvelope(e, harbinKey).bytes),
        'each',
      );
      expect(res.body.receipt).toBeUndefined();
      for (const [i, r] of (res.body.results as { jws: string }[]).entries()) {
        const v = await asHarbin(unb64(r.jws));
        expect(v.envelope.type).toBe('receipt');
        expect(acknowledgementOf(v.envelope, envs[i]!.id)).toBeDefined();
      }
    });
  });

  describe('sending', () => {
    /** Harbin's view of a message it sent to Hangzhou and the answer it read. */
    const job = (env: Envelope): OutboxJob => ({
      id: 1,
      message_id: env.id,
      peer: HANGZHOU,
      type: env.type,
      path: DELEGATIONS,
      delegation_id: null,
      attempts: 1,
      created_at: new Date(),
    });
    const answer = (body: Uint8Array) => ({ status: 200, headers: {}, body });

    it('accepts a receipt.batch only when it is signed by the peer and lists the exact bytes sent', async () => {
      const env = envelope();
      const bytes = signEnvelope(env, harbinKey).bytes;
      const msg = { data: bytes, issued_at: new Date(env.issuedAt) };
      const receiptFor = (digest: string, key: CityKey = hangzhouKey, id = env.id) =>
        signEnvelope(
          buildBatchReceipt({
            entries: [{ message: { ...env, id }, messageDigest: digest, ledgerIndex: 5 }],
            checkpoint: null,
            receivedAt: new Date(),
            self: HANGZHOU,
            contract: contracts().refs.exchange,
          }),
          key,
        ).bytes;
      const read = (b: Uint8Array) => readAnswer(g(HARBIN).gw, job(env), msg, answer(b));

      const ok = await read(receiptFor(sha256Digest(bytes)));
      expect('receipt' in ok && ok.receipt.ack).toMatchObject({
        messageId: env.id,
        messageDigest: sha256Digest(bytes),
        ledgerIndex: 5,
      });
      const refused = async (b: Uint8Array) => {
        const v = await read(b);
        return 'attempt' in v ? v.attempt : undefined;
      };
      // another digest, another message, signed with Harbin's own key: retried, never delivered
      for (const bad of [
        receiptFor(sha256Digest(new Uint8Array([1]))),
        receiptFor(sha256Digest(bytes), hangzhouKey, randomUUID()),
        receiptFor(sha256Digest(bytes), harbinKey),
      ])
        expect(await refused(bad)).toMatchObject({ want: 'retry', error: /^bad receipt/ });
    });

    it('delivers queued messages in batches, each acknowledged by a stored, provable receipt.batch', async () => {
      const officer = await fed.token(HARBIN);
      await g(HARBIN).delivery.stop();
      const cases: { id: string; delegation: string }[] = [];
      for (let i = 0; i < 12; i++) {
        const res = await api(g(HARBIN).url, 'POST', '/api/v1/cases', {
          token: officer,
          json: caseBody([record(HANGZHOU, decisionNo(HANGZHOU, n++))]),
        });
        expect(res.status).toBe(201);
        cases.push({ id: res.body.id, delegation: res.body.delegations[0].id });
      }
      g(HARBIN).delivery.start();
      const ids = cases.map((c) => c.delegation);
      const rows = await eventually(async () => {
        const r = await sql<{ message_id: string; receipt_id: string | null; status: string }>(
          HARBIN,
          `SELECT o.message_id, o.status, m.receipt_id FROM outbox o
             JOIN messages m ON m.id = o.message_id AND m.direction = 'out'
            WHERE o.type = 'delegation.create' AND o.delegation_id = ANY($1)`,
          [ids],
        );
        return r.length === ids.length && r.every((x) => x.status === 'delivered') ? r : undefined;
      }, 'all delivered');
      // fewer receipts than messages: each batch request was acknowledged once
      const receiptIds = [...new Set(rows.map((r) => r.receipt_id!))];
      expect(receiptIds.length).toBeLessThan(ids.length);
      for (const r of rows) {
        const stored = await ledgerIndexOf(HARBIN, r.receipt_id!);
        const v = await asHarbin(stored!.data);
        expect(v.envelope.type).toBe('receipt.batch');
        const sent = await sql<{ digest: string }>(
          HARBIN,
          `SELECT digest FROM messages WHERE id = $1 AND direction = 'out'`,
          [r.message_id],
        );
        expect(acknowledgementOf(v.envelope, r.message_id)?.messageDigest).toBe(sent[0]!.digest);
      }
      // stored once each on both sides
      const counts = await sql<{ n: number }>(
        HARBIN,
        `SELECT count(*)::int AS n FROM messages WHERE id = ANY($1) AND direction = 'in'`,
        [receiptIds],
      );
      expect(counts[0]!.n).toBe(receiptIds.length);
      // both halves provable once checkpointed, and the case timeline shows the verified receipt
      await eventually(async () => {
        const lines = await checkExchange(g(HARBIN).gw.store, g(HANGZHOU).gw.store, {
          from: HARBIN,
          to: HANGZHOU,
          message: rows[0]!.message_id,
        });
        return lines.every(([, ok]) => ok);
      }, 'exchange proven');
      const timeline = await eventually(async () => {
        const c = await api(g(HARBIN).url, 'GET', `/api/v1/cases/${cases[0]!.id}`, {
          token: officer,
        });
        const t = c.body.timeline as { type: string; verified: boolean }[];
        return t.some((e) => e.type === 'receipt.batch') && t.every((e) => e.verified)
          ? t
          : undefined;
      }, 'timeline verified');
      expect(timeline.map((e) => e.type)).toEqual(['delegation.create', 'receipt.batch']);
    });
  });
});
