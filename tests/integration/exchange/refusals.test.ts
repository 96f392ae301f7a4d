import { createHmac, createPublicKey, randomUUID, verify as edVerify } from 'node:crypto';
import { join } from 'node:path';
import { contracts } from '../../../gateway/http/contracts';
import {
  generateCityKey,
  readPrivateKeyFile,
  signCompact,
  signEnvelope,
  type CityKey,
  type Envelope,
} from '../../../gateway/signing';
import { api } from '../../support/http';
import { startFederation, type TestFederation } from '../../support/federation';

const HARBIN = '230100';
const HANGZHOU = '330100';
const NOW = new Date('2026-11-20T02:00:00Z');
/** A peer pinned to another version of the exchange contract. */
const OLD_CONTRACT = {
  ...contracts().refs.exchange,
  version: '0.9.0',
  digest: 'sha256:' + '0'.repeat(64),
};

const delegationBody = (id = randomUUID()) => ({
  delegationId: id,
  caseId: randomUUID(),
  registrationCity: HARBIN,
  company: { uscc: '91350100M000100Y43', name: '示例物流有限公司' },
  records: [
    {
      issuingCity: HANGZHOU,
      authority: '杭州市交通运输局',
      sector: 'transport',
      decisionNo: '杭交执罚〔2026〕第9号',
      decisionDate: '2026-05-10',
      publicityStartDate: '2026-05-15',
      measures: [{ type: 'fine' }],
      severity: 'ordinary',
      fineCny: 5000,
      finePaidDate: '2026-05-30',
      otherObligationsFulfilled: true,
    },
  ],
  materials: [],
  submittedAt: NOW.toISOString(),
});

/** The receiving side of the signed exchange refuses every bad message and changes nothing. */
describe('signed exchange between two gateways on loopback', () => {
  let fed: TestFederation;
  let harbinKey: CityKey;
  let hz: string;
  const envelope = (over: Partial<Envelope> = {}): Envelope => ({
    id: randomUUID(),
    type: 'delegation.create',
    from: HARBIN,
    to: HANGZHOU,
    contract: contracts().refs.exchange,
    issuedAt: NOW.toISOString(),
    caseRef: 'case-1',
    body: delegationBody(),
    ...over,
  });
  const post = (bytes: Uint8Array | string, path = '/exchange/v1/delegations') =>
    api(hz, 'POST', path, { body: bytes, headers: { 'content-type': 'application/jose+json' } });
  const state = async () => {
    const s = fed.gw[HANGZHOU]!.gw.store;
    const [ledger, inbox, messages] = await Promise.all([
      s.query<{ n: number }>('SELECT size AS n FROM ledger_head'),
      s.query<{ n: number }>('SELECT count(*)::int AS n FROM inbox_items'),
      s.query<{ n: number }>('SELECT count(*)::int AS n FROM messages'),
    ]);
    return { ledger: ledger.rows[0]!.n, inbox: inbox.rows[0]!.n, messages: messages.rows[0]!.n };
  };

  beforeAll(async () => {
    fed = await startFederation([HARBIN, HANGZHOU], { now: () => NOW });
    harbinKey = readPrivateKeyFile(join(fed.keysDir, `${HARBIN}.private.jwk.json`));
    hz = fed.gw[HANGZHOU]!.url;
  });
  afterAll(() => fed.close());

  it('accepts a signed delegation and answers with a signed receipt naming the exact bytes', async () => {
    const signed = signEnvelope(envelope(), harbinKey);
    const res = await post(signed.bytes);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/application\/jose\+json/);
    const receipt = JSON.parse(
      Buffer.from(JSON.parse(res.text).payload, 'base64url').toString('utf8'),
    );
    expect(receipt).toMatchObject({
      type: 'receipt',
      from: HANGZHOU,
      to: HARBIN,
      body: { messageType: 'delegation.create', ledgerIndex: expect.any(Number) },
    });
    expect(receipt.body.messageDigest).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('answers a re-sent message with the original receipt and creates nothing twice', async () => {
    const signed = signEnvelope(envelope(), harbinKey);
    const first = await post(signed.bytes);
    const before = await state();
    const again = await post(signed.bytes);
    expect(again.status).toBe(200);
    expect(again.text).toBe(first.text);
    expect(await state()).toEqual(before);
  });

  // One case per refusal: code, status, and no state change.
  const cases: [string, () => Uint8Array | string, number, string, string?][] = [
    [
      'a changed byte',
      () => {
        const t = signEnvelope(envelope(), harbinKey).text;
        const j = JSON.parse(t);
        const p = Buffer.from(j.payload, 'base64url')
          .toString('utf8')
          .replace('杭州市交通运输局', '杭州市交通运输厅');
        return JSON.stringify({ ...j, payload: Buffer.from(p).toString('base64url') });
      },
      401,
      'bad_signature',
    ],
    ['a missing signature', () => '', 401, 'signature_missing'],
    [
      'a message for the wrong city',
      () => signEnvelope(envelope({ to: '530100' }), harbinKey).bytes,
      403,
      'wrong_audience',
    ],
    [
      'a key the sender never listed',
      () => signEnvelope(envelope(), generateCityKey().cityKey).bytes,
      401,
      'unknown_key',
    ],
    [
      'an unknown sender city',
      () => signEnvelope(envelope({ from: '510100' }), harbinKey).bytes,
      401,
      'unknown_sender',
    ],
    [
      'an issue time 6 minutes old',
      () =>
        signEnvelope(
          envelope({ issuedAt: new Date(NOW.getTime() - 360_000).toISOString() }),
          harbinKey,
        ).bytes,
      401,
      'stale_message',
    ],
    [
      'a type not bound to the endpoint',
      () => signEnvelope(envelope({ type: 'callback' }), harbinKey).bytes,
      400,
      'type_mismatch',
    ],
    [
      'a different contract digest',
      () => signEnvelope(envelope({ contract: OLD_CONTRACT }), harbinKey).bytes,
      409,
      'contract_mismatch',
    ],
    [
      'alg none',
      () => {
        const h = Buffer.from(
          JSON.stringify({ alg: 'none', kid: harbinKey.kid, typ: 'tongban+jws' }),
        ).toString('base64url');
        const j = JSON.parse(signEnvelope(envelope(), harbinKey).text);
        return JSON.stringify({ protected: h, payload: j.payload, signature: '' });
      },
      401,
      'algorithm_not_allowed',
    ],
    [
      'HS256 keyed with the public key',
      () => {
        const h = Buffer.from(
          JSON.stringify({ alg: 'HS256', kid: harbinKey.kid, typ: 'tongban+jws' }),
        ).toString('base64url');
        const j = JSON.parse(signEnvelope(envelope(), harbinKey).text);
        const mac = createHmac('sha256', Buffer.from(harbinKey.publicJwk.x, 'base64url'))
          .update(`${h}.${j.payload}`)
          .digest('base64url');
        return JSON.stringify({ protected: h, payload: j.payload, signature: mac });
      },
      401,
      'algorithm_not_allowed',
    ],
    [
      'a body that breaks the contract',
      () => signEnvelope(envelope({ body: { ...delegationBody(), records: [] } }), harbinKey).bytes,
      400,
      'validation_failed',
      '/body/records',
    ],
  ];
  describe.each(cases)('when the message has %s', (_name, make, status, code, pointer) => {
    it(`refuses it with ${status} ${code} and changes nothing`, async () => {
      const before = await state();
      const res = await post(make());
      expect(res.status).toBe(status);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.body.code).toBe(code);
      if (pointer) expect(res.body.pointer).toBe(pointer);
      expect(await state()).toEqual(before);
    });
  });

  describe('when a different message reuses a processed id', () => {
    it('refuses it with 409 message_id_reused', async () => {
      const env = envelope();
      await post(signEnvelope(env, harbinKey).bytes);
      const before = await state();
      const res = await post(signEnvelope({ ...env, body: delegationBody() }, harbinKey).bytes);
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('message_id_reused');
      expect(await state()).toEqual(before);
    });
  });

  describe('when the contract differs', () => {
    it('names the versions each side has', async () => {
      const res = await post(signEnvelope(envelope({ contract: OLD_CONTRACT }), harbinKey).bytes);
      expect(res.body.expected.version).toBe(contracts().refs.exchange.version);
      expect(res.body.received).toEqual({
        version: OLD_CONTRACT.version,
        digest: OLD_CONTRACT.digest,
      });
    });
  });

  it('stores the exact signed bytes, verifiable with an independent Ed25519 implementation against the published key set', async () => {
    const env = envelope();
    const signed = signEnvelope(env, harbinKey);
    await post(signed.bytes);
    const s = fed.gw[HANGZHOU]!.gw.store;
    const row = (
      await s.query<{ data: Uint8Array }>(
        `SELECT e.data FROM messages m JOIN ledger_entries e ON e.idx = m.ledger_index WHERE m.id = $1 AND m.direction = 'in'`,
        [env.id],
      )
    ).rows[0]!;
    expect(Buffer.from(row.data).equals(Buffer.from(signed.bytes))).toBe(true);
    // Independent check: node:crypto only, key fetched from the sender's /.well-known/jwks.json.
    const jwks = (await api(fed.gw[HARBIN]!.url, 'GET', '/.well-known/jwks.json')).body as {
      keys: { kid: string; x: string }[];
    };
    const jws = JSON.parse(Buffer.from(row.data).toString('utf8')) as {
      protected: string;
      payload: string;
      signature: string;
    };
    const kid = JSON.parse(Buffer.from(jws.protected, 'base64url').toString('utf8')).kid;
    const jwk = jwks.keys.find((k) => k.kid === kid)!;
    const pub = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: jwk.x }, format: 'jwk' });
    expect(
      edVerify(
        null,
        Buffer.from(`${jws.protected}.${jws.payload}`),
        pub,
        Buffer.from(jws.signature, 'base64url'),
      ),
    ).toBe(true);
  });

  it('serves signed metadata naming the contract digests, key set and ledger verifier key', async () => {
    const res = await api(hz, 'GET', '/.well-known/tongban');
    const env = JSON.parse(Buffer.from(JSON.parse(res.text).payload, 'base64url').toString('utf8'));
    expect(env).toMatchObject({ type: 'metadata', from: HANGZHOU });
    expect(env.body.contracts).toContainEqual(contracts().refs.exchange);
    expect(env.body.ledger.verifierKey).toMatch(/^tongban\.example\/ledger\/330100\+[0-9a-f]{8}\+/);
  });

  it('answers a signed GET status query with a signed view', async () => {
    const created = envelope();
    await post(signEnvelope(created, harbinKey).bytes);
    const id = (created.body as { delegationId: string }).delegationId;
    const q = signCompact(
      envelope({ type: 'delegation.status', body: { delegationId: id } }),
      harbinKey,
    );
    const res = await api(hz, 'GET', `/exchange/v1/delegations/${id}`, {
      headers: { 'tongban-signature': q },
    });
    expect(res.status).toBe(200);
    const view = JSON.parse(
      Buffer.from(JSON.parse(res.text).payload, 'base64url').toString('utf8'),
    );
    expect(view).toMatchObject({
      type: 'delegation.view',
      body: { delegationId: id, status: 'delivered' },
    });
    const unsigned = await api(hz, 'GET', `/exchange/v1/delegations/${id}`);
    expect(unsigned.body.code).toBe('signature_missing');
  });
});
