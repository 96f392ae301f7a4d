import { Router } from 'express';
import { TongbanError } from '../../errors';
import type { Queryable } from '../../store';
import { latestCheckpoint } from '../checkpoint/stored-checkpoint';
import { encodeBase64 } from '../note/base64';
import { consistencyProof } from '../store/consistency-proof';
import { entries } from '../store/entries';
import { inclusionProof } from '../store/inclusion-proof';
import { countParam } from './query';

/**
 * Read-only ledger API, mounted at /ledger/v1. Handlers throw TongbanError; Express 5 passes
 * rejections to the application's RFC 9457 error handler.
 */
export function ledgerRouter({ store }: { store: Queryable }): Router {
  const r = Router();

  // The latest signed checkpoint, as the c2sp.org/tlog-checkpoint note itself.
  r.get('/checkpoint', async (_req, res) => {
    const cp = await latestCheckpoint(store);
    if (!cp) throw new TongbanError('not_found', 'no checkpoint has been published yet');
    res.set('Cache-Control', 'no-cache').type('text/plain; charset=utf-8').send(cp.note);
  });

  // Entries [start, end): at most 1000 per call, never beyond the tree head.
  r.get('/entries', async (req, res) => {
    const list = await entries(store, countParam(req, 'start'), countParam(req, 'end'));
    res.json({ entries: list.map((e) => ({ index: e.index, data: encodeBase64(e.data) })) });
  });

  r.get('/proofs/inclusion', async (req, res) => {
    const p = await inclusionProof(store, countParam(req, 'index'), countParam(req, 'size'));
    res.json({ index: p.index, size: p.size, hashes: p.hashes.map(encodeBase64) });
  });

  r.get('/proofs/consistency', async (req, res) => {
    const p = await consistencyProof(store, countParam(req, 'from'), countParam(req, 'to'));
    res.json({ from: p.from, to: p.to, hashes: p.hashes.map(encodeBase64) });
  });

  return r;
}
