import { request } from 'undici';
import { api } from '../../support/http';
import { startFederation, type TestFederation } from '../../support/federation';

/** Foundation behaviour of every route: RFC 9457 problems for client mistakes, never a 500. */
describe('HTTP problems (real gateway on loopback)', () => {
  let fed: TestFederation;
  let base: string;
  let token: string;
  beforeAll(async () => {
    fed = await startFederation(['230100'], { bodyLimitBytes: 4096 });
    base = fed.gw['230100']!.url;
    token = await fed.token('230100');
  });
  afterAll(() => fed.close());

  const expectProblem = (
    res: { status: number; headers: Record<string, unknown>; body: any; text: string },
    status: number,
    code: string,
  ) => {
    expect(res.status).toBe(status);
    expect(String(res.headers['content-type'])).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({
      status,
      code,
      type: expect.stringContaining(code),
      title: expect.any(String),
      detail: expect.any(String),
    });
    expect(res.text).not.toMatch(/at .*\.ts:\d+/); // never a stack trace
  };

  describe('when the body is malformed JSON', () => {
    it('answers 400 malformed_json', async () => {
      const res = await api(base, 'POST', '/api/v1/eligibility', {
        token,
        body: '{"records": [',
        headers: { 'content-type': 'application/json' },
      });
      expectProblem(res, 400, 'malformed_json');
    });
  });

  describe('when the body does not match the contract', () => {
    it('answers 400 naming the JSON pointer of the offending field', async () => {
      const res = await api(base, 'POST', '/api/v1/eligibility', {
        token,
        json: {
          records: [
            {
              issuingCity: '330100',
              authority: 'x',
              sector: 'space',
              decisionNo: '1',
              decisionDate: '2026-01-01',
              publicityStartDate: '2026-01-02',
              measures: [{ type: 'fine' }],
              severity: 'ordinary',
              otherObligationsFulfilled: true,
            },
          ],
        },
      });
      expectProblem(res, 400, 'validation_failed');
      expect(res.body.pointer).toBe('/records/0/sector');
    });
    it('names a missing required field', async () => {
      const res = await api(base, 'POST', '/api/v1/cases', {
        token,
        json: { company: { uscc: '91350100M000100Y43', name: 'x' } },
      });
      expectProblem(res, 400, 'validation_failed');
      expect(res.body.errors.map((e: { pointer: string }) => e.pointer)).toEqual(
        expect.arrayContaining(['/applicant', '/records']),
      );
    });
  });

  describe('when the route is unknown', () => {
    it('answers 404 not_found', async () => {
      expectProblem(await api(base, 'GET', '/no/such/route'), 404, 'not_found');
      expectProblem(
        await api(base, 'GET', '/api/v1/cases/00000000-0000-4000-8000-000000000000', { token }),
        404,
        'not_found',
      );
    });
  });

  describe('when the body is over the configured limit', () => {
    it('answers 413 payload_too_large for JSON and for signed envelopes', async () => {
      const big = JSON.stringify({ records: [], pad: 'x'.repeat(5000) });
      expectProblem(
        await api(base, 'POST', '/api/v1/eligibility', {
          token,
          body: big,
          headers: { 'content-type': 'application/json' },
        }),
        413,
        'payload_too_large',
      );
      expectProblem(
        await api(base, 'POST', '/exchange/v1/delegations', {
          body: 'x'.repeat(5000),
          headers: { 'content-type': 'application/jose+json' },
        }),
        413,
        'payload_too_large',
      );
    });
  });

  describe('when the path exists but not with this method', () => {
    it.each([
      ['DELETE', '/api/v1/cases', 'GET, HEAD, POST'],
      ['PUT', '/exchange/v1/delegations/d-00000001', 'GET, HEAD'],
      ['GET', '/exchange/v1/batch', 'POST'],
    ] as const)(
      'answers %s %s with 405 method_not_allowed and Allow: %s',
      async (method, path, allow) => {
        const r = await request(base + path, {
          method,
          headers: { authorization: `Bearer ${token}` },
        });
        const text = await r.body.text();
        expectProblem(
          { status: r.statusCode, headers: r.headers, body: JSON.parse(text), text },
          405,
          'method_not_allowed',
        );
        expect(r.headers.allow).toBe(allow);
      },
    );

    it('answers a path no contract has with 404 not_found, whatever the method', async () => {
      const r = await request(`${base}/nowhere`, { method: 'DELETE' });
      const text = await r.body.text();
      expectProblem(
        { status: r.statusCode, headers: r.headers, body: JSON.parse(text), text },
        404,
        'not_found',
      );
      expect(r.headers.allow).toBeUndefined();
    });
  });

  describe('when a query parameter is invalid', () => {
    it('answers 400 invalid_parameter with the parameter pointer', async () => {
      const res = await api(base, 'GET', '/api/v1/cases?page=zero', { token });
      expectProblem(res, 400, 'invalid_parameter');
      expect(res.body.pointer).toBe('/query/page');
    });
  });

  describe('when the officer has no or a bad token', () => {
    it('answers 401 unauthenticated', async () => {
      expectProblem(await api(base, 'GET', '/api/v1/cases'), 401, 'unauthenticated');
      expectProblem(
        await api(base, 'GET', '/api/v1/cases', { token: token.slice(0, -4) + 'AAAA' }),
        401,
        'unauthenticated',
      );
    });
  });

  it('accepts a caller request id and echoes it; mints one otherwise', async () => {
    const given = await api(base, 'GET', '/healthz', { headers: { 'x-request-id': 'req-123' } });
    expect(given.headers['x-request-id']).toBe('req-123');
    const minted = await api(base, 'GET', '/healthz', {
      headers: { 'x-request-id': 'bad id with spaces' },
    });
    expect(minted.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('reports readiness with JSON detail', async () => {
    const res = await api(base, 'GET', '/readyz');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: 'ready',
      city: '230100',
      checks: { database: { ok: true }, keys: { ok: true }, config: { ok: true } },
    });
    expect((await api(base, 'GET', '/healthz')).body).toEqual({ status: 'ok' });
  });
});
