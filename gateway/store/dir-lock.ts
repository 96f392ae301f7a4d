import { randomUUID } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { TongbanError } from '../errors';

/**
 * One process at a time on an embedded database folder. PGlite has no lock of its own: a second
 * process that opens the same folder (`tongban ledger verify` beside a running `serve`) reads a
 * stale picture of it, and on closing removes the running one's postmaster.pid. The lock is a
 * file in the folder (`<dir>/tongban.lock`: where the process may write, and on the same volume
 * for every container that mounts it) holding the owner's pid, made atomically; the rule is
 * PostgreSQL's own for postmaster.pid: a lock whose process no longer runs is stale and taken
 * over. A pid means something only where it was written, so a lock written under another host
 * name (another machine, or another container on a shared volume: both may be pid 1) is never
 * judged stale here; the refusal names the file to delete once that owner is known to be gone.
 */
export interface DirLock {
  readonly file: string;
  release(): void;
}

interface LockInfo {
  pid: number;
  host?: string;
  since?: string;
}

export const LOCK_FILE = 'tongban.lock';

/** Lock files this process holds, removed on exit if a store was never closed. */
const held = new Map<string, string>(); // file → the exact text written
let exitHookInstalled = false;

export function lockDataDir(dir: string): DirLock {
  mkdirSync(dir, { recursive: true });
  const file = join(resolve(dir), LOCK_FILE);
  if (held.has(file))
    throw inUse(dir, file, { pid: process.pid }, 'it is already open in this process');
  const text = JSON.stringify({
    pid: process.pid,
    host: hostname(),
    since: new Date().toISOString(),
  } satisfies LockInfo);
  // Two tries: the second after removing a stale lock.
  for (let attempt = 0; ; attempt++) {
    if (createWhole(file, text)) break;
    const found = readLock(file);
    // A running owner; or, on the second try, another process that took over the same stale
    // lock first.
    if (found.info && (isLive(found.info) || attempt > 0))
      throw inUse(dir, file, found.info, 'two processes on one embedded database corrupt it');
    if (attempt > 0) throw inUse(dir, file, undefined, 'its lock file cannot be read');
    // Stale (its process is gone, or the file is unreadable): remove it unless another
    // process has replaced it in the meantime.
    if (readLock(file).text === found.text) removeQuietly(file);
  }
  held.set(file, text);
  installExitHook();
  return {
    file,
    release() {
      if (held.get(file) !== text) return;
      held.delete(file);
      if (readLock(file).text === text) removeQuietly(file);
    },
  };
}

/**
 * Make `file` holding `text`, or return false if it exists. Written to a temporary file first and
 * hard-linked into place (link fails if the name exists), so no process ever reads a lock that
 * is still being written.
 */
function createWhole(file: string, text: string): boolean {
  const tmp = `${file}.${randomUUID()}.tmp`; // unique even for two pid 1s on one volume
  writeFileSync(tmp, text, { mode: 0o644 });
  try {
    linkSync(tmp, file);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  } finally {
    removeQuietly(tmp);
  }
}

function readLock(file: string): { text?: string; info?: LockInfo } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return {};
  }
  try {
    const info = JSON.parse(text) as LockInfo;
    return Number.isInteger(info.pid) && info.pid > 0 ? { text, info } : { text };
  } catch {
    return { text };
  }
}

/** Whether the lock's owner may still run: certainly so if it is not on this host. */
function isLive(info: LockInfo): boolean {
  if (info.host !== undefined && info.host !== hostname()) return true;
  return isRunning(info.pid);
}

/**
 * Whether `pid` names a running process other than this one. This process's own pid in a lock
 * it does not hold is a previous run's (a container restarted with the same pid 1).
 */
function isRunning(pid: number): boolean {
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'; // alive, but not ours to signal
  }
}

function inUse(dir: string, file: string, info: LockInfo | undefined, why: string): TongbanError {
  const owner = info
    ? `process ${info.pid}${info.host ? ` on ${info.host}` : ''}${info.since ? ` (since ${info.since})` : ''}`
    : 'another process';
  return new TongbanError(
    'not_ready',
    `The embedded database at ${dir} is in use by ${owner}: ${why}. Stop that process first ` +
      `(several processes share a database only on PostgreSQL). ` +
      `If that process is gone, delete ${file}.`,
    { extra: { lockFile: file, ...(info ? { pid: info.pid } : {}) } },
  );
}

function removeQuietly(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    /* already gone */
  }
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const [file, text] of held) if (readLock(file).text === text) removeQuietly(file);
  });
}
