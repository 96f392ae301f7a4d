import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const PROJECT_ROOT = join(__dirname, '..', '..');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Run `tongban …` as a user does (bin/tongban.js, from source), never throwing on exit codes.
 * A command still running after `timeoutMs` is killed (SIGTERM; `code` is then not a number),
 * so one that should have exited fails its test instead of hanging it.
 */
export function tongban(
  args: string[],
  env: Record<string, string> = {},
  opts: { timeoutMs?: number } = {},
): Promise<CliResult> {
  return run(process.execPath, [join(PROJECT_ROOT, 'bin', 'tongban.js'), ...args], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, TONGBAN_FROM_SOURCE: '1', ...env },
    timeout: opts.timeoutMs ?? 0,
  }).then(
    (r) => ({ code: 0, ...r }),
    (e: CliResult) => e,
  );
}
