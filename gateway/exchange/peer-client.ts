import { Agent, request } from 'undici';
import { TongbanError } from '../errors';

/** One keep-alive HTTP agent per process for gateway-to-gateway traffic (undici). */
const agent = new Agent({ keepAliveTimeout: 10_000, connections: 32, pipelining: 1 });

export interface PeerResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Uint8Array;
}

/** Send exact bytes to a peer; network failures become `peer_unreachable`. */
export async function callPeer(
  url: string,
  opts: {
    method: 'GET' | 'POST';
    body?: Uint8Array;
    headers?: Record<string, string>;
    timeoutMs: number;
    maxBytes?: number;
  },
): Promise<PeerResponse> {
  try {
    const res = await request(url, {
      method: opts.method,
      body: opts.body,
      headers: {
        ...(opts.body ? { 'content-type': 'application/jose+json' } : {}),
        ...opts.headers,
      },
      headersTimeout: opts.timeoutMs,
      bodyTimeout: opts.timeoutMs,
      dispatcher: agent,
    });
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of res.body) {
      size += (chunk as Buffer).length;
      if (opts.maxBytes && size > opts.maxBytes) {
        res.body.destroy();
        throw new TongbanError(
          'peer_refused',
          `Peer answer from ${url} exceeds ${opts.maxBytes} bytes`,
        );
      }
      chunks.push(chunk as Buffer);
    }
    return { status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) };
  } catch (e) {
    if (e instanceof TongbanError) throw e;
    throw new TongbanError(
      'peer_unreachable',
      `Cannot reach ${new URL(url).origin}: ${(e as Error).message}`,
      {},
      { cause: e },
    );
  }
}

/** Read a problem document's detail from a refusal, for the outbox's last_error. */
export function problemDetail(res: PeerResponse): string {
  try {
    const p = JSON.parse(Buffer.from(res.body).toString('utf8')) as {
      code?: string;
      detail?: string;
    };
    return `${res.status} ${p.code ?? ''}: ${p.detail ?? ''}`.trim();
  } catch {
    return `HTTP ${res.status}`;
  }
}
