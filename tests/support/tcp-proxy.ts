import { createConnection, createServer, type Server, type Socket } from 'node:net';

/**
 * A small TCP proxy on loopback for fault injection between gateways. It forwards to one or
 * more upstream ports (round robin; a refused upstream is skipped, like a load balancer) and
 * can misbehave on demand:
 *  - `pass`: forward faithfully;
 *  - `dark`: accept connections and swallow every byte in both directions (a black-holed peer:
 *    the client only learns by its own timeout); existing connections go dark too;
 *  - `refuse`: reset every connection at once (a closed port behind a live load balancer);
 *  - `dropRate`: the chance that any forwarded chunk (either direction) cuts the connection
 *    instead; a cut response means the upstream already committed and its answer was lost;
 *  - `cutResponses(n, match)`: cut the connection at each of the next n answer chunks (to
 *    requests whose request line and headers match `match`, if given).
 * Loopback only; everything is counted so tests assert on counts, not timings.
 */
export type ProxyMode = 'pass' | 'dark' | 'refuse';

export interface ProxyStats {
  connections: number;
  refused: number;
  /** Connections cut while the request was on its way (upstream saw at most part of it). */
  requestCuts: number;
  /** Connections cut at an answer chunk (upstream had answered: the answer was lost). */
  responseCuts: number;
  /** Connections swallowed in dark mode. */
  darkConnections: number;
  /** Connections that found no live upstream. */
  noUpstream: number;
  bytesUp: number;
  bytesDown: number;
}

interface Pair {
  client: Socket;
  upstream?: Socket;
  /** Start of the latest request seen on this connection (request line and some headers). */
  lastRequest: string;
}

export class TcpProxy {
  mode: ProxyMode = 'pass';
  dropRate = 0;
  readonly stats: ProxyStats = {
    connections: 0,
    refused: 0,
    requestCuts: 0,
    responseCuts: 0,
    darkConnections: 0,
    noUpstream: 0,
    bytesUp: 0,
    bytesDown: 0,
  };
  private readonly pairs = new Set<Pair>();
  private next = 0;
  private pendingResponseCuts = 0;
  private cutMatch: RegExp | undefined;

  private constructor(
    private readonly server: Server,
    readonly port: number,
    public upstreams: number[],
    private readonly random: () => number,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  static async start(opts: {
    upstreams: number[];
    port?: number;
    dropRate?: number;
    random?: () => number;
  }): Promise<TcpProxy> {
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
    });
    const addr = server.address();
    const port = typeof addr === 'object' && addr ? addr.port : 0;
    const p = new TcpProxy(server, port, [...opts.upstreams], opts.random ?? Math.random);
    p.dropRate = opts.dropRate ?? 0;
    server.on('connection', (s) => p.accept(s));
    return p;
  }

  setMode(mode: ProxyMode): void {
    this.mode = mode;
    if (mode === 'refuse') this.cutAll();
  }

  /** Cut the connection at the next `n` answer chunks (the "receipt lost" case). */
  cutResponses(n: number, requestMatch?: RegExp): void {
    this.pendingResponseCuts += n;
    this.cutMatch = requestMatch;
  }

  /** Reset every open connection now. */
  cutAll(): number {
    const n = this.pairs.size;
    for (const p of [...this.pairs]) this.drop(p);
    return n;
  }

  get open(): number {
    return this.pairs.size;
  }

  async close(): Promise<void> {
    this.cutAll();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private drop(p: Pair): void {
    this.pairs.delete(p);
    p.client.destroy();
    p.upstream?.destroy();
  }

  private accept(client: Socket): void {
    this.stats.connections++;
    client.on('error', () => undefined);
    if (this.mode === 'refuse') {
      this.stats.refused++;
      client.resetAndDestroy();
      return;
    }
    const pair: Pair = { client, lastRequest: '' };
    this.pairs.add(pair);
    client.on('close', () => this.drop(pair));
    if (this.mode === 'dark') {
      this.stats.darkConnections++;
      client.on('data', () => undefined); // swallowed
      return;
    }
    const queued: Buffer[] = [];
    client.on('data', (chunk: Buffer) => {
      if (this.mode === 'dark') return;
      if (this.dropRate > 0 && this.random() < this.dropRate) {
        this.stats.requestCuts++;
        this.drop(pair);
        return;
      }
      this.stats.bytesUp += chunk.length;
      const head = chunk.subarray(0, 200).toString('latin1');
      if (/^[A-Z]+ \S+ HTTP\/1\.[01]\r\n/.test(head)) pair.lastRequest = head;
      if (pair.upstream?.readyState === 'open') pair.upstream.write(chunk);
      else queued.push(chunk);
    });
    this.connectUpstream(pair, queued, 0);
  }

  private connectUpstream(pair: Pair, queued: Buffer[], tries: number): void {
    if (!this.pairs.has(pair)) return;
    if (tries >= this.upstreams.length) {
      this.stats.noUpstream++;
      this.drop(pair);
      return;
    }
    const port = this.upstreams[this.next++ % this.upstreams.length]!;
    const up = createConnection({ host: '127.0.0.1', port });
    let connected = false;
    up.on('connect', () => {
      connected = true;
      if (!this.pairs.has(pair)) {
        up.destroy();
        return;
      }
      pair.upstream = up;
      for (const c of queued.splice(0)) up.write(c);
    });
    up.on('data', (chunk: Buffer) => {
      if (this.mode === 'dark') return;
      const planned =
        this.pendingResponseCuts > 0 && (!this.cutMatch || this.cutMatch.test(pair.lastRequest));
      if (planned) this.pendingResponseCuts--;
      if (planned || (this.dropRate > 0 && this.random() < this.dropRate)) {
        this.stats.responseCuts++;
        this.drop(pair);
        return;
      }
      this.stats.bytesDown += chunk.length;
      pair.client.write(chunk);
    });
    up.on('error', () => {
      if (!connected)
        this.connectUpstream(pair, queued, tries + 1); // next upstream
      else this.drop(pair);
    });
    up.on('close', () => {
      if (connected) this.drop(pair);
    });
  }
}
