import type { Gateway } from '../runtime/context';
import { base64urlDecode, base64urlEncode } from '../signing/encoding';
import { batchLimitBytes } from '../exchange/batch';
import type { OutboxJob } from './claim';
import { deliverOne, sendFailure, settle, settleAnswer, type DeliverOptions } from './deliver-one';
import type { DeliveryEffects, DeliveryResult, OutgoingMessage } from './outcome';
import { readAnswer, verifyReceiptBytes } from './read-answer';
import { needsReissue } from './reissue';
import { storeReceipts, type ReceivedReceipt } from './store-receipts';
import { postJson, type SendError, type SendResult } from './send';

/** One item's answer as a single request's; `shared`: the response's one receipt.batch. */
type ItemAnswer = SendResult & { shared?: boolean };

/** One item of a batch answer as read off the wire (checked here, field by field). */
interface BatchItemResult {
  status?: unknown;
  jws?: unknown;
  inReceipt?: unknown;
  problem?: unknown;
}

/**
 * A refusal of the batch request itself (4xx other than 408/429, or 501): the peer does not
 * take batches (an older or other implementation, a proxy in front), or not this one. Never a
 * verdict on the messages inside: they are sent again at once, one by one.
 */
const refusesBatch = (s: number) => (s >= 400 && s < 500 && s !== 408 && s !== 429) || s === 501;

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
 * message the same way; a peer that refuses the batch request (refusesBatch) has its messages retried
 * at once, one by one (`onBatchRefused` tells the worker first to stop batching to it for a while).
 * Results are in the order of `jobs`.
 */
export async function deliverBatch(
  gw: Gateway,
  jobs: readonly OutboxJob[],
  effects: DeliveryEffects,
  opts: DeliverOptions = {},
): Promise<DeliveryResult[]> {
  const started = Date.now();
  // Read with the claim as a rule; read here only what was not.
  const missing = jobs.filter((j) => !j.message).map((j) => j.message_id);
  const msgs =
    missing.length > 0 ? await outgoingMany(gw, missing) : new Map<string, OutgoingMessage>();
  for (const j of jobs) if (j.message) msgs.set(j.message_id, j.message);
  const out: Promise<DeliveryResult>[] = new Array<Promise<DeliveryResult>>(jobs.length);
  const ready: { i: number; job: OutboxJob; msg: OutgoingMessage }[] = [];
  // A message sent alone is a request of its own: then the worker hears of no early answer.
  const alone: DeliverOptions = { ...opts, onAnswered: undefined };
  let sentAlone = false;
  // Packed to half the receiver's batch limit (peers are assumed to share our body limit).
  let room = batchLimitBytes(gw) / 2;
  for (const [i, job] of jobs.entries()) {
    const msg = msgs.get(job.message_id);
    const size = msg ? Math.ceil((msg.data.length * 4) / 3) + job.path.length + 32 : 0;
    if (!msg || needsReissue(gw, msg.issued_at) || size > room) {
      // rare (a missing row, a message older than the freshness window, a full batch): alone
      out[i] = deliverOne(gw, job, effects, alone);
      sentAlone = true;
      continue;
    }
    room -= size;
    ready.push({ i, job, msg });
  }
  const base = gw.cities.gatewayUrl(jobs[0]!.peer);
  if (ready.length > 0 && !base) {
    for (const r of ready) out[r.i] = deliverOne(gw, r.job, effects, alone);
  } else if (ready.length > 0) {
    const d = gw.settings.delivery;
    const json = JSON.stringify({
      messages: ready.map((r) => ({ path: r.job.path, jws: base64urlEncode(r.msg.data) })),
      receipts: 'batch',
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
    if (!sentAlone) opts.onAnswered?.();
    const each = (fn: (r: (typeof ready)[number]) => Promise<DeliveryResult>) => {
      for (const r of ready) out[r.i] = fn(r);
    };
    if (failure) {
      const a = sendFailure(failure);
      each((r) => settle(gw, r.job, effects, a, started, opts.worker));
    } else if (res && refusesBatch(res.status)) {
      opts.onBatchRefused?.();
      const error = `${res.status} to a batch: sending one by one`;
      const a = { want: 'retry' as const, error, peer: 'none' as const, immediate: true };
      each((r) => settle(gw, r.job, effects, a, started, opts.worker));
    } else if (res && res.status !== 200) {
      // the whole request throttled or failed (408, 429, 5xx): as for each message alone
      each((r) => settleAnswer(gw, r.job, r.msg, res, effects, started, opts.worker));
    } else if (res) {
      const items = readResults(res.body, ready.length);
      if (!items) {
        const a = { want: 'retry' as const, error: 'bad batch answer', peer: 'up' as const };
        each((r) => settle(gw, r.job, effects, a, started, opts.worker));
      } else {
        await settleItems(gw, ready, items, out, effects, started, opts.worker);
      }
    }
  }
  return Promise.all(out);
}

/**
 * Settle each message from its item: problems one by one (as a single answer would be), and
 * all verified receipts together in one transaction (storeReceipts).
 */
async function settleItems(
  gw: Gateway,
  ready: readonly { i: number; job: OutboxJob; msg: OutgoingMessage }[],
  items: readonly ItemAnswer[],
  out: Promise<DeliveryResult>[],
  effects: DeliveryEffects,
  started: number,
  worker: string | undefined,
): Promise<void> {
  // The one receipt.batch shared by several items is verified once, its window widened by the
  // age of the oldest message it may acknowledge; each item then checks its own entry.
  const sharedAt = ready.map((_, k) => k).filter((k) => items[k]!.shared);
  const shared =
    sharedAt.length > 0
      ? verifyReceiptBytes(
          gw,
          ready[0]!.job.peer,
          items[sharedAt[0]!]!.body,
          sharedAt.map((k) => ready[k]!.msg.issued_at),
        )
      : undefined;
  shared?.catch(() => undefined); // each item reads the verdict (a bad receipt: a retry)
  const verdicts = await Promise.all(
    ready.map((r, k) =>
      readAnswer(gw, r.job, r.msg, items[k]!, items[k]!.shared ? shared : undefined),
    ),
  );
  const ok: { i: number; receipt: ReceivedReceipt }[] = [];
  ready.forEach((r, k) => {
    const v = verdicts[k]!;
    if ('attempt' in v) out[r.i] = settle(gw, r.job, effects, v.attempt, started, worker);
    else ok.push({ i: r.i, receipt: { job: r.job, bytes: items[k]!.body, receipt: v.receipt } });
  });
  if (ok.length === 0) return;
  const stored: Promise<Promise<DeliveryResult>[]> = storeReceipts(
    gw,
    ok.map((o) => o.receipt),
    effects,
    started,
    worker,
  ).then(
    (rs) => rs.map((r) => Promise.resolve(r)),
    (e: unknown) => {
      // One of them broke the shared transaction: store each alone, so only that one fails —
      // one after another, as several may share one receipt.batch (the first stores it).
      gw.log.warn({ err: e }, 'storing a batch of receipts failed; storing them one by one');
      let prev: Promise<unknown> = Promise.resolve();
      return ok.map((o) => {
        const r = prev.then(
          async () => (await storeReceipts(gw, [o.receipt], effects, started, worker))[0]!,
        );
        prev = r.catch(() => undefined);
        return r;
      });
    },
  );
  ok.forEach((o, j) => (out[o.i] = stored.then((rs) => rs[j]!)));
}

/**
 * The batch answer as one single-request answer per item, or undefined when malformed. Items
 * acknowledged by the response's one `receipt.batch` (`inReceipt`) all get those same bytes,
 * marked `shared`.
 */
function readResults(body: Uint8Array, n: number): ItemAnswer[] | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(body).toString('utf8'));
  } catch {
    return undefined;
  }
  const { results, receipt } = (parsed ?? {}) as { results?: unknown; receipt?: unknown };
  if (!Array.isArray(results) || results.length !== n) return undefined;
  const batchReceipt = typeof receipt === 'string' ? base64urlDecode(receipt) : undefined;
  if (receipt !== undefined && !batchReceipt) return undefined;
  const out: ItemAnswer[] = [];
  for (const r of results as BatchItemResult[]) {
    if (typeof r?.status !== 'number') return undefined;
    if (r.status === 200 && r.inReceipt === true) {
      if (!batchReceipt) return undefined;
      out.push({ status: 200, headers: {}, body: batchReceipt, shared: true });
    } else if (r.status === 200) {
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
