import express, { Router, type Request, type Response } from 'express';
import {
  onCallback,
  onDelegationCreate,
  onMaterials,
  onPenaltyQuery,
  onStatusQuery,
  onWithdrawal,
} from '../cases/inbound-handlers';
import { TongbanError } from '../errors';
import { validateRequest } from '../http/validate-request';
import type { Gateway } from '../runtime/context';
import { compactToFlattened, type MessageType } from '../signing';
import { mountBatch, type PostRoute } from './batch';
import { receiveSigned, type InboundHandler } from './inbound';
import { observeRefusals } from './observe';

const JOSE_JSON = 'application/jose+json';

function rawBody(req: Request): Uint8Array {
  if (!req.is(JOSE_JSON) || !Buffer.isBuffer(req.body)) {
    throw new TongbanError(
      'unsupported_media_type',
      `Exchange requests are signed envelopes: Content-Type ${JOSE_JSON}`,
    );
  }
  if (req.body.length === 0)
    throw new TongbanError('signature_missing', 'The request body carries no signed envelope');
  return req.body;
}

function answer(res: Response, bytes: Uint8Array): void {
  res
    .status(200)
    .type(JOSE_JSON)
    .send(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
}

/** The exchange contract's receiving side: every request is a signed envelope, every answer too. */
export function exchangeRouter(gw: Gateway): Router {
  const r = Router();
  r.use(express.raw({ type: JOSE_JSON, limit: gw.settings.bodyLimitBytes }));

  const routes: PostRoute[] = [];
  const post = (path: string, operationId: string, handler: InboundHandler, withId = false) => {
    const op = gw.contracts.operation(operationId).op;
    const type = op['x-tongban-message-type'] as MessageType;
    const bodySchema = op['x-tongban-body'] as string;
    // The same endpoint as a batch item's path (group 1: the delegation id; Id in the contract).
    const pattern = new RegExp(
      `^/exchange/v1${path.replace(':id', '([A-Za-z0-9][A-Za-z0-9_-]{7,63})')}$`,
    );
    routes.push({ pattern, spec: { expectedType: type, bodySchema }, handler });
    r.post(path, validateRequest(operationId), async (req, res) => {
      const id = withId ? String(req.params.id) : undefined;
      const bytes = rawBody(req);
      answer(
        res,
        await receiveSigned(
          gw,
          bytes,
          { expectedType: type, bodySchema, pathDelegationId: id },
          handler,
        ),
      );
    });
  };
  post('/delegations', 'createDelegation', onDelegationCreate(gw));
  post('/delegations/:id/materials', 'supplyMaterials', onMaterials(gw), true);
  post('/delegations/:id/withdrawal', 'withdrawDelegation', onWithdrawal(gw), true);
  post('/callbacks', 'receiveCallback', onCallback(gw));
  post('/penalty-queries', 'queryPenalties', onPenaltyQuery(gw));
  mountBatch(r, gw, routes);

  // GET carries its signed envelope in a header (compact JWS); it is stored in flattened form.
  r.get('/delegations/:id', validateRequest('getDelegation'), async (req, res) => {
    const compact = req.get('tongban-signature');
    if (!compact)
      throw new TongbanError(
        'signature_missing',
        'GET requests carry a Tongban-Signature header (compact JWS)',
      );
    const bytes = compactToFlattened(compact).bytes;
    const spec = {
      expectedType: 'delegation.status' as const,
      bodySchema: 'DelegationStatusQuery',
      pathDelegationId: String(req.params.id),
    };
    answer(res, await receiveSigned(gw, bytes, spec, onStatusQuery()));
  });
  // Refusals that never reached receiveSigned (media type, empty body, size) are counted too.
  r.use(observeRefusals(gw));
  return r;
}
