#!/usr/bin/env node
/* global fetch, AbortSignal */
// The Docker image's HEALTHCHECK: GET /readyz of the gateway in this container. It finds the
// address the way `tongban serve` does — a --port/--host flag given after the image name (read
// from PID 1's command line), else TONGBAN_PORT/TONGBAN_HOST, else 8080 — so a port set either
// way is probed. Exits 0 when ready, 1 otherwise. No dependencies: it runs every 15 s.
const { readFileSync } = require('node:fs');

/** The flag's value in argv (`--port 9000` or `--port=9000`), else undefined. */
function flag(argv, name) {
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === name) return argv[i + 1];
    if (argv[i].startsWith(`${name}=`)) return argv[i].slice(name.length + 1);
  }
  return undefined;
}

/** The /readyz URL for the server started by `argv` with `env`. */
function readyzUrl(argv, env) {
  const port = flag(argv, '--port') || env.TONGBAN_PORT || '8080';
  let host = flag(argv, '--host') || env.TONGBAN_HOST || '127.0.0.1';
  // A wildcard address is reached on loopback; an IPv6 literal needs brackets in a URL.
  if (host === '0.0.0.0' || host === '::') host = '127.0.0.1';
  if (host.includes(':')) host = `[${host}]`;
  return `http://${host}:${port}/readyz`;
}

function pid1Argv() {
  try {
    return readFileSync('/proc/1/cmdline', 'utf8').split('\0').filter(Boolean);
  } catch {
    return []; // not Linux, or not allowed: the environment decides
  }
}

if (require.main === module) {
  fetch(readyzUrl(pid1Argv(), process.env), { signal: AbortSignal.timeout(4000) }).then(
    (r) => process.exit(r.ok ? 0 : 1),
    () => process.exit(1),
  );
}

module.exports = { readyzUrl };
