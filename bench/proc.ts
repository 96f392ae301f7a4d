/**
 * Child processes of the bench: each role (a gateway, the floor server, the ledger bench) runs
 * in its own Node process so that the two cores are shared the way separate services share
 * them, and so that each one's resident memory can be read on its own. Parent and child talk
 * over the IPC channel: `call(cmd, args)` → `{ id, ok, result | error }`; children also push
 * `{ event, data }` notes (progress).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

export interface ChildOptions {
  /** Extra node flags, e.g. --cpu-prof --cpu-prof-dir=… */
  execArgv?: string[];
  env?: NodeJS.ProcessEnv;
  onEvent?: (event: string, data: unknown) => void;
}

export interface Child {
  readonly pid: number;
  readonly name: string;
  call<T = unknown>(cmd: string, args?: unknown): Promise<T>;
  /** Ask the child to exit (it finishes its own cleanup), then wait for it. */
  exit(): Promise<void>;
}

type Reply =
  { id: number; ok: boolean; result?: unknown; error?: string } | { event: string; data: unknown };

/** Start `bench/<role>.ts` in a child process (TypeScript through tsx, like bin/tongban.js). */
export function spawnChild(role: string, opts: ChildOptions = {}): Child {
  const cp: ChildProcess = fork(join(__dirname, `${role}.ts`), [], {
    execArgv: ['--require', require.resolve('tsx/cjs'), ...(opts.execArgv ?? [])],
    env: { ...process.env, ...opts.env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let next = 1;
  const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  const exited = new Promise<void>((resolve) => cp.once('exit', () => resolve()));
  cp.on('message', (m: Reply) => {
    if ('event' in m) return opts.onEvent?.(m.event, m.data);
    const w = waiting.get(m.id);
    if (!w) return;
    waiting.delete(m.id);
    if (m.ok) w.resolve(m.result);
    else w.reject(new Error(`${role}: ${m.error}`));
  });
  cp.once('exit', (code, signal) => {
    for (const w of waiting.values()) w.reject(new Error(`${role} exited (${signal ?? code})`));
    waiting.clear();
  });
  return {
    pid: cp.pid ?? 0,
    name: role,
    call<T>(cmd: string, args?: unknown): Promise<T> {
      const id = next++;
      return new Promise<T>((resolve, reject) => {
        waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
        cp.send({ id, cmd, args });
      });
    },
    async exit() {
      if (cp.exitCode !== null || cp.signalCode !== null) return;
      await this.call('exit').catch(() => undefined);
      const timer = setTimeout(() => cp.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

export type Handlers = Record<string, (args: never) => Promise<unknown> | unknown>;

/** The child side: answer the parent's calls with `handlers`; `exit` runs `cleanup` first. */
export function serveParent(
  handlers: Handlers,
  cleanup: () => Promise<void> = async () => undefined,
): void {
  if (!process.send) throw new Error('bench child started without an IPC channel');
  const send = (m: unknown) => process.send?.(m);
  process.on('message', (m: { id: number; cmd: string; args: unknown }) => {
    if (m.cmd === 'exit') {
      void cleanup()
        .catch((e: unknown) => process.stderr.write(`cleanup failed: ${(e as Error).message}\n`))
        .finally(() => {
          send({ id: m.id, ok: true });
          // Let the reply flush and --cpu-prof write its profile on a normal exit.
          setTimeout(() => process.exit(0), 50);
        });
      return;
    }
    const h = handlers[m.cmd];
    if (!h) {
      send({ id: m.id, ok: false, error: `unknown command ${m.cmd}` });
      return;
    }
    Promise.resolve()
      .then(() => h(m.args as never))
      .then(
        (result) => send({ id: m.id, ok: true, result }),
        (e: unknown) =>
          send({
            id: m.id,
            ok: false,
            error: e instanceof Error ? (e.stack ?? e.message) : String(e),
          }),
      );
  });
  // The parent died: do not linger.
  process.on('disconnect', () => void cleanup().finally(() => process.exit(0)));
}

/** Push a note (progress) to the parent. */
export function notifyParent(event: string, data: unknown): void {
  process.send?.({ event, data });
}
