import { Agent, request } from 'undici';

/**
 * The outbox's own HTTP client. Separate from the exchange's request/answer client so that
 * deliveries and interactive lookups never queue behind each other, and so that every send has
 * one overall deadline (connect + headers + body) shorter than its lease: a live worker never
 * holds a row past its lease, and a shutdown can abort what is in flight.
 */
const agent = new Agent({
  keepAliveTimeout: 10_000,
  connections: 16,
  pipelining: 1,
  connect: { timeout: 5_000 },
});

export interface SendResult {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Uint8Array;
}

export class SendError extends Error {
  constructor(
    message: string,
    /** 'timeout' (deadline passed), 'aborted' (shutdown) or 'network'. */
    readonly kind: 'timeout' | 'aborted' | 'network' | 'too_large',
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export interface SendOptions {
  timeoutMs: number;
  maxBytes: number;
  signal?: AbortSignal;
}

/** POST a signed envelope's exact bytes. */
export function postEnvelope(
  url: string,
  bytes: Uint8Array,
  opts: SendOptions,
): Promise<SendResult> {
  return call('POST', url, bytes, opts);
}

/** POST a JSON document (a batch of signed envelopes, POST /exchange/v1/batch). */
export function postJson(url: string, json: string, opts: SendOptions): Promise<SendResult> {
  return call('POST', url, Buffer.from(json, 'utf8'), opts, 'application/json');
}

/** GET a small public document (a peer's key set). */
export function getDocument(url: string, opts: SendOptions): Promise<SendResult> {
  return call('GET', url, undefined, opts);
}

async function call(
  method: 'GET' | 'POST',
  url: string,
  bytes: Uint8Array | undefined,
  opts: SendOptions,
  contentType = 'application/jose+json',
): Promise<SendResult> {
  const deadline = AbortSignal.timeout(opts.timeoutMs);
  const signal = opts.signal ? AbortSignal.any([deadline, opts.signal]) : deadline;
  try {
    const res = await request(url, {
      method,
      body: bytes,
      headers: bytes ? { 'content-type': contentType } : {},
      headersTimeout: opts.timeoutMs,
      bodyTimeout: opts.timeoutMs,
      dispatcher: agent,
      signal,
    });
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of res.body) {
      size += (chunk as Buffer).length;
      if (size > opts.maxBytes) {
        res.body.destroy();
        throw new SendError(
          `answer from ${new URL(url).origin} exceeds ${opts.maxBytes} bytes`,
          'too_large',
        );
      }
      chunks.push(chunk as Buffer);
    }
    return { status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) };
  } catch (e) {
    if (e instanceof SendError) throw e;
    const origin = new URL(url).origin;
    if (opts.signal?.aborted)
      throw new SendError(`send to ${origin} interrupted by shutdown`, 'aborted', { cause: e });
    if (deadline.aborted)
      throw new SendError(`no answer from ${origin} within ${opts.timeoutMs} ms`, 'timeout', {
        cause: e,
      });
    const err = e as Error & { code?: string; cause?: { code?: string } };
    const code = err.code ?? err.cause?.code;
    throw new SendError(
      `cannot reach ${origin}: ${code ? `${code} ` : ''}${err.message}`,
      'network',
      { cause: e },
    );
  }
}

/** The `code` and `detail` of a problem document (RFC 9457), if the answer is one. */
export function readProblem(body: Uint8Array): { code?: string; detail?: string } {
  try {
    const p = JSON.parse(Buffer.from(body).toString('utf8')) as {
      code?: unknown;
      detail?: unknown;
    };
    return {
      code: typeof p.code === 'string' ? p.code : undefined,
      detail: typeof p.detail === 'string' ? p.detail : undefined,
    };
  } catch {
    return {};
  }
}
