import { randomBytes } from 'node:crypto';
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { importPrivateJwk } from './import-private';
import type { Ed25519PrivateJwk } from './types';

/**
 * Store a private JWK at `path`, readable by the owner only (mode 0600). The file is written
 * beside its target and renamed into place, so a crash never leaves a half-written key and the
 * mode holds even when replacing an older, laxer file. Synchronous: for start-up and the CLI.
 */
export function writePrivateKeyFile(path: string, jwk: Ed25519PrivateJwk): void {
  importPrivateJwk(jwk); // never store what we could not read back
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const temp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    writeFileSync(temp, JSON.stringify(jwk, null, 2) + '\n', { mode: 0o600, flag: 'wx' });
    renameSync(temp, path);
  } catch (err) {
    rmSync(temp, { force: true });
    throw err;
  }
}
