import express, { type NextFunction, type Request, type Response } from 'express';
import request from 'supertest';
import { toProblem } from '../../../gateway/errors';
import {
  appendEntries,
  hashLeaf,
  ledgerRouter,
  openCheckpoint,
  publishCheckpoint,
  rootAt,
  verifyConsistency,
  verifyInclusion,
} from '../../../gateway/ledger';
import type { Store } from '../../../gateway/store';
import { bytes, drivers, testSigner } from './helpers/db';

function appOf(store: Store) {
  const app = express();
  app.use('/ledger/v1', ledgerRouter({ store }));
  // Minimal stand-in for the gateway's RFC 9457 error handler.
  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const p = toProblem(err, req.originalUrl);
    res.status(p.status).type('application/problem+json').json(p);
  });
  return app;
}

const b64 = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'base64'));

describe.each(drivers())('ledger HTTP API on $name', (driver) => {
  let store: Store;
  let app: express.Express;
  const { signer, vkey } = testSigner();

  beforeAll(async () => {
    store = await driver.fresh();
    app = appOf(store);
  });
  afterAll(() => driver.close());

  it('answers 404 problem+json before the first checkpoint', async () => {
    const res = await request(app).get('/ledger/v1/checkpoint').expect(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ code: 'not_found', status: 404 });
  });

  describe('with 12 entries and a checkpoint', () => {
    beforeAll(async () => {
      await appendEntries(
        store,
        Array.from({ length: 12 }, (_, i) => ({ data: bytes(`entry ${i}`), kind: 'envelope' })),
      );
      await publishCheckpoint(store, signer);
    });

    it('GET /checkpoint serves the signed note as text', async () => {
      const res = await request(app).get('/ledger/v1/checkpoint').expect(200);
      expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
      expect(openCheckpoint(res.text, vkey, signer.origin).size).toBe(12);
    });

    it('GET /entries serves [start, end) as base64', async () => {
      const res = await request(app).get('/ledger/v1/entries?start=10&end=20').expect(200);
      expect(res.body).toEqual({
        entries: [
          { index: 10, data: Buffer.from('entry 10').toString('base64') },
          { index: 11, data: Buffer.from('entry 11').toString('base64') },
        ],
      });
    });

    it('GET /proofs/inclusion serves a proof that verifies against the checkpoint', async () => {
      const cp = openCheckpoint((await request(app).get('/ledger/v1/checkpoint')).text, vkey);
      const res = await request(app).get('/ledger/v1/proofs/inclusion?index=5&size=12').expect(200);
      expect(res.body).toMatchObject({ index: 5, size: 12 });
      const proof = (res.body.hashes as string[]).map(b64);
      expect(
        verifyInclusion({
          index: 5,
          size: 12,
          leafHash: hashLeaf(bytes('entry 5')),
          proof,
          root: cp.root,
        }),
      ).toBe(true);
    });

    it('GET /proofs/consistency serves a proof between two sizes', async () => {
      const res = await request(app).get('/ledger/v1/proofs/consistency?from=5&to=12').expect(200);
      const proof = (res.body.hashes as string[]).map(b64);
      expect(
        verifyConsistency({
          size1: 5,
          size2: 12,
          root1: await rootAt(store, 5),
          root2: await rootAt(store, 12),
          proof,
        }),
      ).toBe(true);
    });

    describe('when a query parameter is bad', () => {
      it.each([
        ['/entries?end=3', 'invalid_parameter', '/query/start'],
        ['/entries?start=0', 'invalid_parameter', '/query/end'],
        ['/entries?start=abc&end=3', 'invalid_parameter', '/query/start'],
        ['/entries?start=-1&end=3', 'invalid_parameter', '/query/start'],
        ['/entries?start=1e3&end=3', 'invalid_parameter', '/query/start'],
        ['/entries?start=01&end=3', 'invalid_parameter', '/query/start'],
        ['/entries?start=0x1&end=3', 'invalid_parameter', '/query/start'],
        ['/entries?start=%201&end=3', 'invalid_parameter', '/query/start'],
        ['/entries?start=0&start=1&end=3', 'invalid_parameter', '/query/start'],
        ['/entries?start=5&end=5', 'ledger_range', '/query/end'],
        ['/proofs/inclusion?index=99999999999999999999&size=3', 'ledger_range', '/query/index'],
        ['/proofs/inclusion?index=12&size=12', 'ledger_range', '/query/index'],
        ['/proofs/inclusion?index=0&size=13', 'ledger_range', '/query/size'],
        ['/proofs/inclusion?index=1', 'invalid_parameter', '/query/size'],
        ['/proofs/consistency?from=0&to=5', 'ledger_range', '/query/from'],
        ['/proofs/consistency?from=6&to=5', 'ledger_range', '/query/from'],
        ['/proofs/consistency?from=1&to=13', 'ledger_range', '/query/to'],
        ['/proofs/consistency?from=1.5&to=5', 'invalid_parameter', '/query/from'],
      ])('GET %s answers 400 %s at %s', async (path, code, pointer) => {
        const res = await request(app).get(`/ledger/v1${path}`).expect(400);
        expect(res.body).toMatchObject({ code, pointer, status: 400 });
      });
    });
  });
});
