import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { request } from 'undici';

const ROOT = join(__dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'tongban.js');

/** One `tongban serve` process the test starts, SIGKILLs, restarts and finally SIGTERMs. */
export class GatewayProcess {
  private child: ChildProcess | undefined;
  private exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }> | undefined;
  starts = 0;
  kills = 0;

  constructor(
    readonly name: string,
    readonly port: number,
    private readonly args: string[],
    private readonly logFile: string,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get up(): boolean {
    return this.child !== undefined;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Spawn and wait until /healthz answers (bounded). */
  async start(timeoutMs = 30_000): Promise<void> {
    if (this.child) throw new Error(`${this.name} is already running`);
    const fd = openSync(this.logFile, 'a');
    const child = spawn(
      process.execPath,
      [BIN, 'serve', '--port', String(this.port), ...this.args],
      {
        cwd: ROOT,
        env: {
          ...process.env,
          LOG_LEVEL: process.env.CHAOS_LOG_LEVEL ?? 'warn',
          TONGBAN_FROM_SOURCE: '1',
        },
        stdio: ['ignore', fd, fd],
      },
    );
    closeSync(fd);
    this.child = child;
    this.starts++;
    this.exited = new Promise((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal })),
    );
    let early = false;
    void this.exited.then(() => {
      early = true;
      if (this.child === child) this.child = undefined;
    });
    const until = Date.now() + timeoutMs;
    while (Date.now() < until) {
      if (early)
        throw new Error(
          `${this.name} exited during start-up (see ${this.logFile}); its log ends:\n${this.logTail()}`,
        );
      try {
        const res = await request(`${this.url}/healthz`, {
          headersTimeout: 1000,
          bodyTimeout: 1000,
        });
        await res.body.text();
        if (res.statusCode === 200) return;
      } catch {
        /* not up yet */
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(
      `${this.name} not healthy within ${timeoutMs} ms (see ${this.logFile}); its log ends:\n${this.logTail()}`,
    );
  }

  /** The log's last lines, for an error message: CI keeps the output but not /tmp. */
  logTail(lines = 20): string {
    try {
      return readFileSync(this.logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
    } catch (e) {
      return `(unreadable: ${(e as Error).message})`;
    }
  }

  /** SIGKILL: no cleanup at all, mid-whatever-it-was-doing. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.kills++;
    child.kill('SIGKILL');
    await this.exited;
    this.child = undefined;
  }

  /** SIGTERM and wait for the exit; returns its code and how long the graceful stop took. */
  async terminate(timeoutMs = 30_000): Promise<{ code: number | null; ms: number }> {
    const child = this.child;
    if (!child) return { code: null, ms: 0 };
    const t0 = Date.now();
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    const r = await this.exited!;
    clearTimeout(timer);
    this.child = undefined;
    return { code: r.code, ms: Date.now() - t0 };
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** A seeded PRNG (mulberry32) so a chaos run's schedule can be repeated with CHAOS_SEED. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Run `fn` over `items` with at most `n` at a time. */
export async function pool<T>(
  items: readonly T[],
  n: number,
  fn: (item: T, i: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        await fn(items[i]!, i);
      }
    }),
  );
}
