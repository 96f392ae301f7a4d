#!/usr/bin/env node
/* global fetch, setTimeout */
// `npm run build:check`: compile the gateway the way the Docker image does (tsconfig.build.json
// + build-assets), into a scratch folder (never dist/, which bin/tongban.js would then prefer),
// and check that the output runs: `--help`, then `serve` on the embedded store until /readyz
// answers 200 and /metrics serves, then a clean SIGTERM exit. Loopback only; bounded in time.
const { execFileSync, spawn } = require('node:child_process');
const { mkdtempSync, rmSync } = require('node:fs');
const { createServer } = require('node:net');
const { tmpdir } = require('node:os');
const { join, relative } = require('node:path');

const root = join(__dirname, '..');
// Inside node_modules so that the compiled files resolve their dependencies from it.
const out = join(root, 'node_modules', '.cache', 'tongban-build-check');
const step = (s) => process.stderr.write(`build:check: ${s}\n`);
const cli = (...args) => [
  '-e',
  `require(${JSON.stringify(join(out, 'gateway', 'cli', 'main.js'))}).main(['node', 'tongban', ...process.argv.slice(1)])`,
  '--',
  ...args,
];

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function until(what, ms, fn) {
  const end = Date.now() + ms;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      if (e.fatal) throw e;
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function main() {
  rmSync(out, { recursive: true, force: true });
  step(`tsc -p tsconfig.build.json → ${relative(root, out)}`);
  execFileSync(
    process.execPath,
    [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json', '--outDir', out],
    {
      cwd: root,
      stdio: 'inherit',
    },
  );
  execFileSync(process.execPath, [join(__dirname, 'build-assets.js'), relative(root, out)], {
    cwd: root,
    stdio: 'inherit',
  });

  const help = execFileSync(process.execPath, cli('--help'), { cwd: tmpdir(), encoding: 'utf8' });
  if (!/Usage: tongban/.test(help) || !/\bserve\b/.test(help))
    throw new Error(`unexpected --help output:\n${help}`);
  step('compiled CLI prints --help');

  const data = mkdtempSync(join(tmpdir(), 'tongban-build-check-'));
  let child;
  try {
    const port = await freePort();
    const env = { ...process.env, LOG_LEVEL: 'warn', TONGBAN_DATA_DIR: data };
    delete env.DATABASE_URL;
    delete env.TONGBAN_KEYS_DIR;
    // As in the image: the key goes where serve will look, the data folder's keys.
    execFileSync(process.execPath, cli('keys', 'generate', '--city', '230100'), {
      cwd: tmpdir(),
      env,
      stdio: 'ignore',
    });
    child = spawn(
      process.execPath,
      cli('serve', '--city', '230100', '--port', String(port), '--data-dir', data),
      {
        cwd: tmpdir(),
        env,
        stdio: ['ignore', 'inherit', 'inherit'],
      },
    );
    const exited = new Promise((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal })),
    );
    const base = `http://127.0.0.1:${port}`;
    let early;
    void exited.then((x) => (early = x));
    await until('/readyz 200', 60_000, async () => {
      if (early)
        throw Object.assign(new Error(`serve exited early (${early.code ?? early.signal})`), {
          fatal: true,
        });
      return (await fetch(`${base}/readyz`)).status === 200;
    });
    step('compiled gateway serves /readyz (embedded store)');
    const metrics = await (await fetch(`${base}/metrics`)).text();
    if (!metrics.includes('tongban_ledger_entries'))
      throw new Error('/metrics lacks tongban_ledger_entries');
    step('…and /metrics');
    // The image's HEALTHCHECK, with the port given the way the image's users give it.
    execFileSync(process.execPath, [join(root, 'bin', 'healthcheck.js')], {
      env: { ...env, TONGBAN_PORT: String(port), TONGBAN_HOST: '0.0.0.0' },
      stdio: 'inherit',
    });
    step('…and bin/healthcheck.js reports it healthy');
    child.kill('SIGTERM');
    const { code, signal } = await Promise.race([
      exited,
      new Promise((r) => setTimeout(() => r({ code: 'timeout' }), 30_000)),
    ]);
    if (code !== 0) throw new Error(`serve exited with ${code ?? signal} on SIGTERM`);
    child = undefined;
    step('…and stops cleanly on SIGTERM');
  } finally {
    if (child) child.kill('SIGKILL');
    rmSync(data, { recursive: true, force: true });
    rmSync(out, { recursive: true, force: true });
  }
  process.stdout.write('build:check: 1 passed, 0 failed\n');
}

main().catch((e) => {
  process.stderr.write(`build:check failed: ${e.message}\n`);
  process.stdout.write('build:check: 0 passed, 1 failed\n');
  process.exitCode = 1;
});
