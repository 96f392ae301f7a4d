import { execFile, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { resolveKeysDir } from '../../../gateway/config/cli-locations';
import { readCityKeys } from '../../../gateway/runtime/keys';
import { PROJECT_ROOT, tongban } from '../../support/cli';

const CITY = '230100';

function nobodyCanRun(): boolean {
  if (process.getuid?.() !== 0) return false;
  const probe = spawnSync(
    process.execPath,
    ['-e', `require('fs').accessSync(${JSON.stringify(join(PROJECT_ROOT, 'bin', 'tongban.js'))})`],
    { uid: 65534, gid: 65534 },
  );
  return probe.status === 0;
}

/** `tongban keys`: where keys go, and what the gateway says about a key it cannot use. */
describe('tongban keys', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tongban-keys-cli-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('generates into the data folder of TONGBAN_DATA_DIR, where serve looks, and keeps it', async () => {
    const env = { TONGBAN_DATA_DIR: dir, TONGBAN_KEYS_DIR: '' };
    const r = await tongban(['keys', 'generate', '--city', CITY], env);
    expect(r.code).toBe(0);
    const file = join(dir, 'keys', `${CITY}.private.jwk.json`);
    expect(r.stdout).toContain(file);
    const kid = /kid (\S+)/.exec(r.stdout)?.[1];
    expect(readCityKeys(resolveKeysDir({}, env), CITY).current.kid).toBe(kid);
    // Run again: the key is kept.
    const again = await tongban(['keys', 'generate', '--city', CITY], env);
    expect(/kid (\S+)/.exec(again.stdout)?.[1]).toBe(kid);
  }, 30_000);

  it('lets --keys-dir win over TONGBAN_KEYS_DIR and the data folder', async () => {
    const r = await tongban(['keys', 'generate', '--city', CITY, '--keys-dir', join(dir, 'k')], {
      TONGBAN_KEYS_DIR: join(dir, 'env-keys'),
      TONGBAN_DATA_DIR: join(dir, 'data'),
    });
    expect(r.code).toBe(0);
    expect(existsSync(join(dir, 'k', `${CITY}.private.jwk.json`))).toBe(true);
    expect(existsSync(join(dir, 'env-keys'))).toBe(false);
    expect(existsSync(join(dir, 'data'))).toBe(false);
  }, 30_000);

  describe('when the gateway cannot use the key', () => {
    it('says the key is missing, with the command that makes one', async () => {
      const r = await tongban(['serve', '--city', CITY, '--keys-dir', dir, '--port', '0']);
      expect(r.code).not.toBe(0);
      expect(r.stderr).toContain(`No signing key for city ${CITY} at ${join(dir, CITY)}`);
      expect(r.stderr).toContain(`tongban keys generate --city ${CITY} --keys-dir ${dir}`);
    }, 30_000);

    // Only root can start a process as another user, and that user must be able to read the
    // project (a checkout under a private home folder is not); elsewhere the case cannot be set up.
    const asNobody = nobodyCanRun() ? it : it.skip;
    asNobody(
      'says a key another user owns cannot be read, not that it is missing',
      async () => {
        expect((await tongban(['keys', 'generate', '--city', CITY, '--keys-dir', dir])).code).toBe(
          0,
        );
        chmodSync(dir, 0o700); // as keys generate leaves a folder it creates; root owns it
        const run = promisify(execFile);
        const r = await run(
          process.execPath,
          [join(PROJECT_ROOT, 'bin', 'tongban.js'), 'serve', '--city', CITY, '--keys-dir', dir],
          {
            cwd: PROJECT_ROOT,
            uid: 65534, // nobody
            gid: 65534,
            env: { ...process.env, TONGBAN_FROM_SOURCE: '1', HOME: tmpdir() },
          },
        ).then(
          () => ({ stderr: '', code: 0 }),
          (e: { stderr: string; code: number }) => e,
        );
        expect(r.code).not.toBe(0);
        expect(r.stderr).toContain(`The signing key of city ${CITY}`);
        expect(r.stderr).toContain('cannot be read by this process (EACCES, uid 65534)');
        expect(r.stderr).not.toContain('No signing key');
      },
      30_000,
    );
  });
});
