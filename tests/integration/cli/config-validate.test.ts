import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tongban } from '../../support/cli';

const root = join(__dirname, '..', '..', '..');
const cli = tongban;

/** `npx tongban config validate` as an integrator runs it. */
describe('tongban config validate', () => {
  it('exits 0 for the shipped configs', async () => {
    const r = await cli(['config', 'validate']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/city config\(s\) valid/);
  }, 30_000);

  it('exits non-zero naming the file and the field of a mistake', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tongban-cfg-'));
    const file = join(dir, '330100.yaml');
    writeFileSync(
      file,
      readFileSync(join(root, 'city-configs', '330100.yaml'), 'utf8').replace(
        'kind: manual',
        'kind: fax',
      ),
    );
    const r = await cli(['config', 'validate', file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${file}:`);
    expect(r.stderr).toContain('/adapter/kind');
  }, 30_000);

  it('prints help for every command', async () => {
    for (const args of [
      ['--help'],
      ['serve', '--help'],
      ['sandbox', '--help'],
      ['config', 'validate', '--help'],
      ['keys', 'generate', '--help'],
      ['ledger', 'verify', '--help'],
    ]) {
      const r = await cli(args);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/Usage: tongban/);
    }
  }, 60_000);
});
