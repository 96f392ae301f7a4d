import { join } from 'node:path';
import { verifyContext } from '../../../gateway/exchange/verify-context';
import {
  readPrivateKeyFile,
  signEnvelope,
  verifyEnvelope,
  type CityKey,
  type Envelope,
} from '../../../gateway/signing';
import { HANGZHOU, HARBIN } from '../../chaos/fixtures';
import { observedPgStore } from '../../support/db';
import { startFederation, type TestFederation } from '../../support/federation';
import { api } from '../../support/http';
import { b64, DELEGATIONS, delegationEnvelope, unb64 } from './batch-fixtures';

/**
 * Receiving delegations never seen before: their inbox rows travel in the statement that logs
 * the messages (InboundHandler.fresh), not in one of their own. Where that assumption is wrong
 * (the delegation is already held) the transaction rolls back and runs the careful way, with
 * the outcome of messages applied one after another. Asserted on the statements Hangzhou's
 * store ran, on rows and on the signed answers.
 */
describe('fresh delegations: inbox rows written with the ledger append (PostgreSQL)', () => {
  let fed: TestFederation;
  let harbinKey: CityKey;
  let seen: string[] = [];
  const g = (c: string) => fed.gw[c]!;
  const sql = async <R = any>(text: string, params: unknown[] = []) =>
    (await g(HANGZHOU).gw.store.query<R>(text, params)).rows;
  const signed = (e: Envelope) => signEnvelope(e, harbinKey).bytes;
  const batch = (items: { path: string; env: Envelope }[]) =>
    api(g(HANGZHOU).url, 'POST', '/exchange/v1/batch', {
      json: { messages: items.map((i) => ({ path: i.path, jws: b64(signed(i.env)) })) },
    });
  const delegationOf = (e: Envelope) => (e.body as { delegationId: string }).delegationId;
  const withdrawal = (of: Envelope): Envelope => ({
    ...delegationEnvelope(0),
    type: 'delegation.withdrawal',
    body: { delegationId: delegationOf(of), reason: 'test' },
  });
  /** Statements that wrote inbox rows since the last call: the append (WITH …) or their own. */
  const inboxWrites = () => {
    const w = seen.filter((s) => /INSERT INTO inbox_items/.test(s));
    seen = [];
    return w.map((s) => (s.trimStart().startsWith('WITH') ? 'with the append' : 'alone'));
  };
  const resultOf = async (jws: string) =>
    (
      (await verifyEnvelope(unb64(jws), verifyContext(g(HARBIN).gw, 'receipt'))).envelope.body as {
        result: unknown;
      }
    ).result;

  beforeAll(async () => {
    const observed = await observedPgStore((sql) => seen.push(sql));
    fed = await startFederation([HARBIN, HANGZHOU], { stores: { [HANGZHOU]: observed } });
    harbinKey = readPrivateKeyFile(join(fed.keysDir, `${HARBIN}.private.jwk.json`));
  });
  afterAll(() => fed.close());
  beforeEach(() => void (seen = []));

  it('writes the inbox rows of a batch of new delegations in the append that logs them', async () => {
    const envs = [delegationEnvelope(1), delegationEnvelope(2), delegationEnvelope(3)];
    const res = await batch(envs.map((env) => ({ path: DELEGATIONS, env })));
    expect(res.status).toBe(200);
    expect(res.body.results.map((r: { status: number }) => r.status)).toEqual([200, 200, 200]);
    expect(inboxWrites()).toEqual(['with the append']);
    const rows = await sql<{ id: string; status: string; registration_city: string }>(
      'SELECT id, status, registration_city FROM inbox_items WHERE id = ANY($1) ORDER BY id',
      [envs.map(delegationOf)],
    );
    expect(rows).toEqual(
      envs
        .map((e) => ({ id: delegationOf(e), status: 'delivered', registration_city: HARBIN }))
        .sort((a, b) => a.id.localeCompare(b.id)),
    );
  });

  it('a delegation already held, re-issued under a new message id: rolled back, then answered as a duplicate', async () => {
    const first = delegationEnvelope(4);
    expect(
      (
        await api(g(HANGZHOU).url, 'POST', DELEGATIONS, {
          body: signed(first),
          headers: { 'content-type': 'application/jose+json' },
        })
      ).status,
    ).toBe(200);
    const again: Envelope = { ...delegationEnvelope(4), body: first.body };
    const other = delegationEnvelope(5);
    seen = [];
    const res = await batch([
      { path: DELEGATIONS, env: again },
      { path: DELEGATIONS, env: other },
    ]);
    expect(res.status).toBe(200);
    // the optimistic statement failed on the held row; the careful run inserts on its own
    expect(inboxWrites()).toEqual(['with the append', 'alone']);
    const [a, b] = res.body.results as { status: number; jws: string }[];
    expect(await resultOf(a!.jws)).toEqual({ status: 'delivered', duplicate: true });
    expect(await resultOf(b!.jws)).toEqual({ status: 'delivered' });
    const count = await sql<{ n: number }>(
      'SELECT count(*)::int AS n FROM inbox_items WHERE id = ANY($1)',
      [[delegationOf(first), delegationOf(other)]],
    );
    expect(count[0]!.n).toBe(2);
  });

  it('keeps the order of effects: a withdrawal before its delegation in one batch finds nothing', async () => {
    const d = delegationEnvelope(6);
    const res = await batch([
      { path: `${DELEGATIONS}/${delegationOf(d)}/withdrawal`, env: withdrawal(d) },
      { path: DELEGATIONS, env: d },
    ]);
    expect(res.status).toBe(200);
    const [w, c] = res.body.results as { status: number; jws?: string }[];
    expect(w!.status).toBe(404);
    expect(c!.status).toBe(200);
    // not written ahead of the withdrawal: the delegation stands, not withdrawn
    const rows = await sql<{ status: string }>('SELECT status FROM inbox_items WHERE id = $1', [
      delegationOf(d),
    ]);
    expect(rows).toEqual([{ status: 'delivered' }]);
  });
});
