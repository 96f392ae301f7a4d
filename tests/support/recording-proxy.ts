import { createServer, type IncomingMessage, type Server } from 'node:http';
import { request } from 'undici';

/**
 * An HTTP proxy for tests between two gateways: forwards every request to `target()`, records
 * the path of each POST, and answers batch requests with 404 while `refuseBatch` is set.
 */
export interface Proxy {
  server: Server;
  url: string;
  posts: string[];
  refuseBatch: boolean;
}

export async function startProxy(target: () => string): Promise<Proxy> {
  const read = async (req: IncomingMessage) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    return Buffer.concat(chunks);
  };
  const p = { posts: [] as string[], refuseBatch: false } as Proxy;
  p.server = createServer((req, res) => {
    void (async () => {
      const body = await read(req);
      if (req.method === 'POST') p.posts.push(req.url!);
      if (p.refuseBatch && req.url === '/exchange/v1/batch') {
        res.writeHead(404, { 'content-type': 'application/problem+json' });
        res.end(JSON.stringify({ status: 404, code: 'not_found', detail: 'no batches here' }));
        return;
      }
      const headers: Record<string, string> = {};
      for (const h of ['content-type', 'tongban-signature'])
        if (typeof req.headers[h] === 'string') headers[h] = req.headers[h];
      const up = await request(target() + req.url!, {
        method: req.method as 'GET' | 'POST',
        headers,
        body: req.method === 'POST' ? body : undefined,
      });
      const answer = Buffer.from(await up.body.arrayBuffer());
      const type = up.headers['content-type'];
      res.writeHead(up.statusCode, typeof type === 'string' ? { 'content-type': type } : {});
      res.end(answer);
    })().catch(() => res.destroy());
  });
  await new Promise<void>((r) => p.server.listen(0, '127.0.0.1', () => r()));
  p.url = `http://127.0.0.1:${(p.server.address() as { port: number }).port}`;
  return p;
}
