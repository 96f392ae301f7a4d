import type { Gateway } from '../runtime/context';
import { base64urlDecode, base64urlEncode } from '../signing/encoding';
import { batchLimitBytes } from '../exchange/batch';
import type { OutboxJob } from './claim';
import {
  deliverOne,
  sendFailure,
  settle,
  settleAnswer,
  type DeliverOptions,
  type DeliveryEffects,
  type DeliveryResult,
  type OutgoingMessage,
} from './deliver-one';
import { needsReissue } from './reissue';
import { postJson, type SendError, type SendResult } from './send';

/** Statuses by which a peer says it does not take batches: send its messages one by one. */
const NO_BATCH = new Set([400, 404, 405, 413, 415, 501]);

/** Exact ledger bytes of several outgoing messages in one query. */
async function outgoingMany(gw: Gateway, ids: string[]): Promise<Map<string, OutgoingMessage>> {
  const r = await gw.store.query<OutgoingMessage & { id: string }>(
    `SELECT m.id, e.data, m.issued_at FROM messages m JOIN ledger_entries e ON e.idx = m.ledger_index
      WHERE m.id = ANY($1::text[]) AND m.direction = 'out'`,
    [ids],
  );
  return new Map(r.rows.map((row) => [row.id, row]));
}

/**
 * Send several claimed messages to ONE gateway peer in one request (POST /exchange/v1/batch)
 * and settle each from its own item of the answer, exactly as deliverOne would from a single
 * answer. A transport failure, a timeout, 429/503 or a 5xx for the whole request settles every
 * message the same way; a peer that does not take batches (NO_BATCH) has its messages retried
 * at once, one by one (`batchRefused` tells the worker to stop batching to it for a while).
 * Results are in the order of `jobs`.
 */
export async function deliverBatch(
  gw: Gateway,
  jobs: readonly OutboxJob[],
  effects: DeliveryEffects,
  opts: DeliverOptions = {},
): Promise<DeliveryResult[]> {
  const started = Date.now();
  const msgs = await outgoingMany(
    gw,
    jobs.map((j) => j.message_id),
  );
  const out: Promise<DeliveryResult>[] = new Array<Promise<DeliveryResult>>(jobs.length);
  const ready: { i: number; job: OutboxJob; msg: OutgoingMessage }[] = [];
  // Packed to half the receiver's batch limit (peers are assumed to share our body limit).
  let room = batchLimitBytes(gw) / 2;
  for (const [i, job] of jobs.entries()) {
    const msg = msgs.get(job.message_id);
    const size = msg ? Math.ceil((msg.data.length * 4) / 3) + job.path.length + 32 : 0;
    if (!msg || needsReissue(gw, msg.issued_at) || size > room) {
      // rare (a missing row, a message older than the freshness window, a full batch): alone
      out[i] = deliverOne(gw, job, effects, opts);
      continue;
    }
    room -= size;
    ready.push({ i, job, msg });
  }
  const base = gw.cities.gatewayUrl(jobs[0]!.peer);
  if (ready.length > 0 && !base) {
    for (const r of ready) out[r.i] = deliverOne(gw, r.job, effects, opts);
  } else if (ready.length > 0) {
    const d = gw.settings.delivery;
    const json = JSON.stringify({
      messages: ready.map((r) => ({ path: r.job.path, jws: base64urlEncode(r.msg.data) })),
    });
    let res: SendResult | undefined;
    let failure: SendError | undefined;
    try {
      res = await postJson(`${base}/exchange/v1/batch`, json, {
        timeoutMs: d.timeoutMs,
        maxBytes: batchLimitBytes(gw),
        signal: opts.signal,
      });
    } catch (e) {
      failure = e as SendError;
    }
    const each = (fn: (r: (typeof ready)[number]) => Promise<DeliveryResult>) => {
      for (const r of ready) out[r.i] = fn(r);
    };
    if (failure) {
      const a = sendFailure(failure);
      each((r) => settle(gw, r.job, effects, a, started, opts.worker));
    } else if (res && NO_BATCH.has(res.status)) {
      const error = `${res.status} to a batch: sending one by one`;
      each(async (r) => ({
        ...(await settle(
          gw,
          r.job,
          effects,
          { want: 'retry', error, peer: 'none', immediate: true },
          started,
          opts.worker,
        )),
        batchRefused: true,
      }));
    } else if (res && res.status !== 200) {
      // the whole request throttled or failed (429, 503, 5xx): as for each message alone
      each((r) => settleAnswer(gw, r.job, r.msg, res, effects, started, opts.worker));
    } else if (res) {
      const items = readResults(res.body, ready.length);
      if (!items) {
        const a = { want: 'retry' as const, error: 'bad batch answer', peer: 'up' as const };
        each((r) => settle(gw, r.job, effects, a, started, opts.worker));
      } else {
        // concurrently: the receipts are stored by the store's group commit, together
        ready.forEach((r, k) => {
          out[r.i] = settleAnswer(gw, r.job, r.msg, items[k]!, effects, started, opts.worker);
        });
      }
    }
  }
  return Promise.all(out);
}

/** The batch answer as one single-request answer per item, or undefined when malformed. */
function readResults(body: Uint8Array, n: number): SendResult[] | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(body).toString('utf8'));
  } catch {
    return undefined;
  }
  const results = (parsed as { results?: unknown } | null)?.results;
  if (!Array.isArray(results) || results.length !== n) return undefined;
  const out: SendResult[] = [];
  for (const r of results as { status?: unknown; jws?: unknown; problem?: unknown }[]) {
    if (typeof r?.status !== 'number') return undefined;
    if (r.status === 200) {
      const bytes = typeof r.jws === 'string' ? base64urlDecode(r.jws) : undefined;
      if (!bytes) return undefined;
      out.push({ status: 200, headers: {}, body: bytes });
    } else {
      const problem = Buffer.from(JSON.stringify(r.problem ?? {}), 'utf8');
      out.push({ status: r.status, headers: {}, body: problem });
    }
  }
  return out;
}
