import express, { type Router } from 'express';
import type { components as X } from '../../contracts/generated/exchange.v1';
import { TongbanError, toProblem } from '../errors';
import { validateRequest } from '../http/validate-request';
import type { Gateway } from '../runtime/context';
import { base64urlDecode, base64urlEncode } from '../signing/encoding';
import { receiveMany, type Inbound, type InboundHandler, type InboundSpec } from './inbound';
import { emitInbound, errorCode } from './observe';

/** One POST endpoint of the exchange, as a batch item may name it. */
export interface PostRoute {
  /** Matches the full path; group 1 is the delegation id when the path names one. */
  pattern: RegExp;
  spec: Omit<InboundSpec, 'pathDelegationId'>;
  handler: InboundHandler;
}

/** Wire shapes, from the generated contract types. */
export type BatchItem = X['schemas']['BatchItem'];
export type BatchResult = X['schemas']['BatchResult'];
export type BatchRequest = X['schemas']['BatchRequest'];
export type BatchResponse = X['schemas']['BatchResponse'];

/** A batch item refused before it was a message (no route, not base64url, too large). */
function observeRefusal(gw: Gateway, e: unknown): void {
  emitInbound(
    gw,
    { peer: undefined, type: 'unknown', outcome: 'refused', code: errorCode(e), ms: 0 },
    e,
  );
}

/** How much larger than one message a batch request may be (see batchLimitBytes). */
const BATCH_FACTOR = 4;

/** Largest batch request body a gateway accepts; senders pack to half of it. */
export function batchLimitBytes(gw: Gateway): number {
  return gw.settings.bodyLimitBytes * BATCH_FACTOR;
}

/**
 * `POST /exchange/v1/batch`: several signed messages in one request. The container is not
 * signed and is trusted for nothing: each item is decoded to its exact bytes and verified
 * exactly as if it had been POSTed alone to its path (signature, audience, freshness, replay,
 * type bound to the path, contract digest); receiveMany then applies them in one transaction
 * while keeping each item's effect atomic on its own. Each answer is the one a single request
 * would have got, in request order — except that with `"receipts": "batch"` the fresh receipts
 * are ONE signed `receipt.batch` in the response's `receipt` (items say `inReceipt: true`).
 */
export function mountBatch(r: Router, gw: Gateway, routes: readonly PostRoute[]): void {
  /** The item as a message to receive, or why not (refused before verification). */
  const parse = (item: BatchItem, i: number): Inbound => {
    let id: string | undefined;
    const route = routes.find((rt) => {
      const m = rt.pattern.exec(item.path);
      if (m) id = m[1];
      return m !== null;
    });
    if (!route)
      throw new TongbanError('not_found', `No exchange endpoint POST ${item.path}`, {
        pointer: `/messages/${i}/path`,
      });
    const bytes = base64urlDecode(item.jws);
    if (!bytes || bytes.length === 0)
      throw new TongbanError(
        'signature_malformed',
        'The item is not base64url of a signed envelope',
        { pointer: `/messages/${i}/jws` },
      );
    if (bytes.length > gw.settings.bodyLimitBytes)
      throw new TongbanError(
        'payload_too_large',
        `The message exceeds the limit of ${gw.settings.bodyLimitBytes} bytes`,
        { pointer: `/messages/${i}/jws` },
      );
    return { bytes, spec: { ...route.spec, pathDelegationId: id }, handler: route.handler };
  };
  const problem = (item: BatchItem, e: unknown): BatchResult => {
    const p = toProblem(e, item.path);
    if (p.status >= 500) gw.log.error({ err: e, path: item.path }, 'batch item failed');
    return { status: p.status, problem: p };
  };

  r.post(
    '/batch',
    (req, _res, next) => {
      if (!req.is('application/json'))
        throw new TongbanError(
          'unsupported_media_type',
          'A batch is Content-Type application/json',
        );
      next();
    },
    express.json({ limit: batchLimitBytes(gw), type: 'application/json' }),
    validateRequest('receiveBatch'),
    async (req, res) => {
      const items = (req.body as BatchRequest).messages;
      const results: BatchResult[] = new Array<BatchResult>(items.length);
      const todo: { i: number; m: Inbound }[] = [];
      items.forEach((item, i) => {
        try {
          todo.push({ i, m: parse(item, i) });
        } catch (e) {
          observeRefusal(gw, e);
          results[i] = problem(item, e);
        }
      });
      const batchReceipt = (req.body as BatchRequest).receipts === 'batch';
      const received = await receiveMany(
        gw,
        todo.map((t) => t.m),
        { batchReceipt },
      );
      let receipt: Uint8Array | undefined;
      received.forEach((r, k) => {
        const { i } = todo[k]!;
        if ('error' in r) results[i] = problem(items[i]!, r.error);
        else if (r.batched) {
          receipt = r.answer; // one receipt.batch per call: the same bytes for each
          results[i] = { status: 200, inReceipt: true };
        } else results[i] = { status: 200, jws: base64urlEncode(r.answer) };
      });
      const body: BatchResponse = { results };
      if (receipt) body.receipt = base64urlEncode(receipt);
      res.status(200).json(body);
    },
  );
}
