import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { isTongbanError } from '../../../gateway/errors';
import { LOCK_FILE, lockDataDir } from '../../../gateway/store/dir-lock';
import { openPgliteStore } from '../../../gateway/store/pglite-store';

/** One process at a time on an embedded database folder (gateway/store/dir-lock.ts). */
describe('the embedded database lock', () => {
  let root: string;
  const children: ChildProcess[] = [];
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'tongban-lock-'));
  });
  afterEach(() => {
    for (const c of children.splice(0)) c.kill('SIGKILL');
    rmSync(root, { recursive: true, force: true });
  });

  /** A real other process that keeps running until killed; resolves once it has a pid. */
  async function otherProcess(): Promise<ChildProcess> {
    const c = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    children.push(c);
    await new Promise((r) => c.once('spawn', r));
    return c;
  }
  const lockFile = (dir: string) => {
    mkdirSync(dir, { recursive: true });
    return join(dir, LOCK_FILE);
  };
  const lockOf = (pid: number, host = hostname()) => JSON.stringify({ pid, host, since: 'then' });
  const refusal = (fn: () => unknown) => {
    try {
      fn();
    } catch (e) {
      return e;
    }
    throw new Error('expected a refusal');
  };

  it('is held while a store is open, refuses a second opening, and goes on close', async () => {
    const dir = join(root, 'db', '230100');
    const store = await openPgliteStore(dir);
    try {
      const lock = JSON.parse(readFileSync(lockFile(dir), 'utf8')) as { pid: number };
      expect(lock.pid).toBe(process.pid);
      await expect(openPgliteStore(dir)).rejects.toMatchObject({
        code: 'not_ready',
        message: expect.stringContaining('already open in this process'),
      });
      // the refused opening did not take the lock away from the open store
      expect(existsSync(lockFile(dir))).toBe(true);
      await store.query('SELECT 1');
    } finally {
      await store.close();
    }
    expect(existsSync(lockFile(dir))).toBe(false);
    const again = await openPgliteStore(dir);
    await again.close();
  });

  it('refuses a folder another running process holds, naming it, and takes over once it is gone', async () => {
    const dir = join(root, '230100');
    const other = await otherProcess();
    writeFileSync(lockFile(dir), lockOf(other.pid!));
    const e = refusal(() => lockDataDir(dir));
    expect(isTongbanError(e) && e.code).toBe('not_ready');
    expect((e as Error).message).toContain(`in use by process ${other.pid} on ${hostname()}`);
    expect((e as Error).message).toContain(`delete ${lockFile(dir)}`);
    expect(readFileSync(lockFile(dir), 'utf8')).toBe(lockOf(other.pid!)); // left alone

    other.kill('SIGKILL');
    await new Promise((r) => other.once('exit', r));
    const lock = lockDataDir(dir);
    expect(JSON.parse(readFileSync(lock.file, 'utf8'))).toMatchObject({ pid: process.pid });
    lock.release();
    expect(existsSync(lock.file)).toBe(false);
  });

  it("takes over a lock in its own pid that it does not hold (a restarted container's pid 1), and an unreadable one", () => {
    const dir = join(root, '230100');
    for (const stale of [lockOf(process.pid), 'not json', '']) {
      writeFileSync(lockFile(dir), stale);
      const lock = lockDataDir(dir);
      expect(JSON.parse(readFileSync(lock.file, 'utf8'))).toMatchObject({ pid: process.pid });
      lock.release();
    }
  });

  it('never takes over a lock written on another host, whose pid it cannot check', async () => {
    const dir = join(root, '230100');
    const other = await otherProcess();
    other.kill('SIGKILL');
    await new Promise((r) => other.once('exit', r)); // a pid that runs nowhere here…
    for (const pid of [other.pid!, process.pid]) {
      writeFileSync(lockFile(dir), lockOf(pid, 'another-container')); // …but written elsewhere
      const e = refusal(() => lockDataDir(dir));
      expect((e as Error).message).toContain(`in use by process ${pid} on another-container`);
      expect(readFileSync(lockFile(dir), 'utf8')).toBe(lockOf(pid, 'another-container'));
    }
  });

  it('release removes only its own lock', async () => {
    const dir = join(root, '230100');
    const lock = lockDataDir(dir);
    const other = await otherProcess();
    writeFileSync(lock.file, lockOf(other.pid!)); // someone deleted ours and took it
    lock.release();
    expect(readFileSync(lock.file, 'utf8')).toBe(lockOf(other.pid!));
  });
});
