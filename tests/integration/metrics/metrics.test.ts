import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { contracts } from '../../../gateway/http/contracts';
import { readPrivateKeyFile, signEnvelope } from '../../../gateway/signing';
import { eventually, startFederation, type TestFederation } from '../../support/federation';
import { api } from '../../support/http';

const HARBIN = '230100';
const HANGZHOU = '330100';

const record = (no: string) => ({
  issuingCity: HANGZHOU,
  authority: '杭州市交通运输局',
  sector: 'transport',
  decisionNo: no,
  decisionDate: '2026-05-10',
  publicityStartDate: '2026-05-15',
  measures: [{ type: 'fine' }],
  severity: 'ordinary',
  fineCny: 5000,
  finePaidDate: '2026-05-30',
  otherObligationsFulfilled: true,
});

const caseBody = (no: string) => ({
  company: { uscc: '91350100M000100Y43', name: '示例物流有限公司' },
  applicant: { name: '张三', role: 'agent', idNumber: '110101199003074514' },
  materials: [{ kind: 'commitment_letter', fileName: 'commitment.pdf', sha256: 'a'.repeat(64) }],
  records: [record(no)],
  requestDate: '2026-11-20',
});

/** The value of one sample in Prometheus text format, matched by name and a subset of labels. */
function sample(
  text: string,
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][\w:]*)(\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = Object.fromEntries(
      [...(m[3] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((x) => [x[1], x[2]]),
    );
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) return Number(m[4]);
  }
  return undefined;
}

describe('GET /metrics on real gateways after traffic (PostgreSQL)', () => {
  let fed: TestFederation;
  let clock = new Date('2026-11-20T02:00:00Z');
  const url = (c: string) => fed.gw[c]!.url;
  /**
   * Signed receipts Harbin stored for the three delegations: one each when they went one by one,
   * fewer when two left together in a batch (one `receipt.batch`), which timing decides.
   */
  const receipts = async (): Promise<number> => {
    const r = await fed.gw[HARBIN]!.gw.store.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM messages WHERE direction = 'in' AND type IN ('receipt', 'receipt.batch')",
    );
    const n = r.rows[0]!.n;
    expect(n).toBeGreaterThanOrEqual(1);
    expect(n).toBeLessThanOrEqual(3);
    return n;
  };
  const scrape = async (c: string, headers: Record<string, string> = {}) => {
    const res = await api(url(c), 'GET', '/metrics', { headers });
    expect(res.status).toBe(200);
    expect(String(res.headers['content-type'])).toMatch(/^text\/plain/);
    return res.text;
  };

  beforeAll(async () => {
    fed = await startFederation([HARBIN, HANGZHOU], { now: () => clock });
    const token = await fed.token(HARBIN);
    const ids: string[] = [];
    for (const no of [
      '杭交执罚〔2026〕第11号',
      '杭交执罚〔2026〕第12号',
      '杭交执罚〔2026〕第13号',
    ]) {
      const res = await api(url(HARBIN), 'POST', '/api/v1/cases', { token, json: caseBody(no) });
      expect(res.status).toBe(201);
      ids.push(res.body.id);
    }
    const officer = await fed.token(HANGZHOU);
    await eventually(async () => {
      const inbox = await api(url(HANGZHOU), 'GET', '/api/v1/inbox', { token: officer });
      return inbox.status === 200 && JSON.stringify(inbox.body).split('"delivered"').length > 3;
    }, 'three delegations in the Hangzhou inbox');
    await eventually(
      async () =>
        sample(await scrape(HARBIN), 'tongban_delivery_attempts_total', {
          outcome: 'delivered',
        }) === 3,
      'three deliveries counted',
    );
  });
  afterAll(() => fed.close());

  it('counts deliveries per peer with latencies, and an empty outbox, on the sending side', async () => {
    const text = await scrape(HARBIN);
    const peer = { city: HARBIN, peer: HANGZHOU };
    expect(
      sample(text, 'tongban_delivery_attempts_total', {
        ...peer,
        type: 'delegation.create',
        outcome: 'delivered',
      }),
    ).toBe(3);
    expect(
      sample(text, 'tongban_delivery_latency_seconds_count', {
        ...peer,
        type: 'delegation.create',
      }),
    ).toBe(3);
    expect(sample(text, 'tongban_delivery_latency_seconds_sum', { ...peer })).toBeGreaterThan(0);
    expect(
      sample(text, 'tongban_delivery_attempt_duration_seconds_count', {
        ...peer,
        outcome: 'delivered',
      }),
    ).toBe(3);
    expect(sample(text, 'tongban_outbox_messages', { status: 'pending' })).toBe(0);
    expect(sample(text, 'tongban_outbox_messages', { status: 'dead' })).toBe(0);
    expect(sample(text, 'tongban_outbox_oldest_pending_age_seconds')).toBe(0);
    // three delegations out, their receipts in
    expect(sample(text, 'tongban_ledger_entries')).toBe(3 + (await receipts()));
    // one replica: its appends take turns, none had to write again
    expect(sample(text, 'tongban_ledger_append_retries_total')).toBe(0);
    expect(sample(text, 'tongban_peer_circuit_open', { peer: HANGZHOU })).toBe(0);
    expect(sample(text, 'process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(sample(text, 'tongban_build_info', { city: HARBIN, store: 'pg' })).toBe(1);
  });

  it('counts accepted messages per verified peer on the receiving side', async () => {
    const text = await scrape(HANGZHOU);
    const peer = { city: HANGZHOU, peer: HARBIN };
    expect(
      sample(text, 'tongban_inbound_messages_total', {
        ...peer,
        type: 'delegation.create',
        outcome: 'accepted',
      }),
    ).toBe(3);
    expect(
      sample(text, 'tongban_inbound_duration_seconds_count', { ...peer, outcome: 'accepted' }),
    ).toBe(3);
    // three delegations in, the receipts that answered them out
    expect(sample(text, 'tongban_ledger_entries')).toBe(3 + (await receipts()));
    expect(sample(text, 'tongban_signature_failures_total', { reason: 'bad_signature' })).toBe(0);
  });

  it('counts signature failures by reason', async () => {
    const key = readPrivateKeyFile(join(fed.keysDir, `${HARBIN}.private.jwk.json`));
    const env = {
      id: randomUUID(),
      type: 'callback' as const,
      from: HARBIN,
      to: HANGZHOU,
      contract: contracts().refs.exchange,
      issuedAt: clock.toISOString(),
      body: { delegationId: randomUUID(), seq: 1, status: 'accepted', at: clock.toISOString() },
    };
    const signed = JSON.parse(signEnvelope(env, key).text) as {
      protected: string;
      payload: string;
      signature: string;
    };
    const forged = {
      ...signed,
      signature: `${signed.signature[0] === 'A' ? 'B' : 'A'}${signed.signature.slice(1)}`,
    };
    const post = (body: string) =>
      api(url(HANGZHOU), 'POST', '/exchange/v1/callbacks', {
        body,
        headers: { 'content-type': 'application/jose+json' },
      });
    expect((await post(JSON.stringify(forged))).body.code).toBe('bad_signature');
    expect((await post('')).body.code).toBe('signature_missing');
    const text = await scrape(HANGZHOU);
    expect(sample(text, 'tongban_signature_failures_total', { reason: 'bad_signature' })).toBe(1);
    expect(sample(text, 'tongban_signature_failures_total', { reason: 'signature_missing' })).toBe(
      1,
    );
    expect(sample(text, 'tongban_inbound_refusals_total', { reason: 'bad_signature' })).toBe(1);
    expect(
      sample(text, 'tongban_inbound_messages_total', { peer: 'unverified', outcome: 'refused' }),
    ).toBeGreaterThanOrEqual(1);
  });

  it('counts decisions past their SLA on both sides, at scrape time', async () => {
    expect(sample(await scrape(HANGZHOU), 'tongban_sla_overdue', { side: 'penalising' })).toBe(0);
    clock = new Date('2026-12-20T02:00:00Z'); // a month later: 3 working days are long gone
    const hangzhou = await scrape(HANGZHOU);
    expect(sample(hangzhou, 'tongban_sla_overdue', { side: 'penalising' })).toBe(3);
    const harbin = await scrape(HARBIN);
    expect(sample(harbin, 'tongban_sla_overdue', { side: 'registration' })).toBe(3);
    expect(sample(harbin, 'tongban_sla_overdue', { side: 'penalising' })).toBe(0);
    clock = new Date('2026-11-20T02:00:00Z');
  });

  it('asks for the bearer token when one is configured', async () => {
    const g = await fed.restart(HANGZHOU, { metricsToken: 's3cret-scrape' });
    expect((await api(g.url, 'GET', '/metrics')).status).toBe(401);
    const ok = await api(g.url, 'GET', '/metrics', {
      headers: { authorization: 'Bearer s3cret-scrape' },
    });
    expect(ok.status).toBe(200);
    expect(sample(ok.text, 'tongban_ledger_entries', { city: HANGZHOU })).toBe(
      3 + (await receipts()),
    );
  });
  it('signs checkpoints and witnesses the peer’s', async () => {
    const entries = 3 + (await receipts());
    const text = await eventually(async () => {
      const t = await scrape(HANGZHOU, { authorization: 'Bearer s3cret-scrape' });
      return sample(t, 'tongban_ledger_checkpoint_size') === entries ? t : undefined;
    }, 'checkpoint covering the ledger');
    expect(sample(text, 'tongban_ledger_unsigned_entries')).toBe(0);
    expect(sample(text, 'tongban_ledger_checkpoint_age_seconds')).toBeGreaterThanOrEqual(0);
    // Receipts carry the receiver's latest checkpoint: one more delegation brings one to Harbin.
    const res = await api(url(HARBIN), 'POST', '/api/v1/cases', {
      token: await fed.token(HARBIN),
      json: caseBody('杭交执罚〔2026〕第14号'),
    });
    expect(res.status).toBe(201);
    const sender = await eventually(async () => {
      const t = await scrape(HARBIN);
      return sample(t, 'tongban_peer_witness_status', { peer: HANGZHOU, status: 'ok' }) === 1
        ? t
        : undefined;
    }, 'Harbin witnessed a Hangzhou checkpoint');
    expect(sample(sender, 'tongban_peer_witness_status', { peer: HANGZHOU, status: 'fork' })).toBe(
      0,
    );
    expect(sample(sender, 'tongban_peer_checkpoint_size', { peer: HANGZHOU })).toBeGreaterThan(0);
  });
});
