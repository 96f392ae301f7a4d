import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tongban } from '../../support/cli';
import { api } from '../../support/http';

const root = join(__dirname, '..', '..', '..');

/**
 * `npm start` as a new user runs it: seven gateways ready, links written, Ctrl-C stops cleanly;
 * meanwhile the embedded databases are its alone.
 */
describe('tongban sandbox', () => {
  it('brings up the seven-city federation with ready gateways and stops on SIGINT', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tongban-sandbox-'));
    const portBase = 20000 + Math.floor(Math.random() * 20000);
    const child = spawn(
      process.execPath,
      [
        join(root, 'bin', 'tongban.js'),
        'sandbox',
        '--port-base',
        String(portBase),
        '--data-dir',
        dataDir,
      ],
      {
        cwd: root,
        env: { ...process.env, TONGBAN_FROM_SOURCE: '1' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const exited = new Promise<number | null>((resolve) =>
      child.on('exit', (code) => resolve(code)),
    );
    try {
      const started = Date.now();
      const urls = Array.from({ length: 7 }, (_, i) => `http://127.0.0.1:${portBase + i}`);
      for (;;) {
        const ready = await Promise.all(
          urls.map((u) =>
            api(u, 'GET', '/readyz').then(
              (r) => r.status === 200,
              () => false,
            ),
          ),
        );
        // Ready when every gateway answers and the command has said so: its last line comes
        // with the Ctrl-C handler (sandbox.json is written just before). A SIGINT earlier
        // would find no handler and kill the process.
        if (ready.every(Boolean) && out.includes('Ctrl-C stops the federation')) break;
        if (Date.now() - started > 60_000) throw new Error(`sandbox not ready:\n${out}`);
        await new Promise((r) => setTimeout(r, 250));
      }
      // The acceptance bar is 15 s on a quiet machine; a loaded CI worker gets head room here.
      expect(Date.now() - started).toBeLessThan(45_000);
      const sb = JSON.parse(readFileSync(join(dataDir, 'sandbox.json'), 'utf8')) as {
        cities: { id: string; url: string; dashboard: string; tokens: { officer: string } }[];
      };
      expect(sb.cities.map((c) => c.id).sort()).toEqual([
        '120000',
        '130100',
        '230100',
        '330100',
        '450100',
        '460100',
        '530100',
      ]);
      const harbin = sb.cities.find((c) => c.id === '230100')!;
      const me = await api(harbin.url, 'GET', '/api/v1/me', { token: harbin.tokens.officer });
      expect(me.body).toMatchObject({ city: '230100', role: 'officer' });
      // a federated lookup: signed queries and answers go into Harbin's ledger
      const lookup = await api(harbin.url, 'POST', '/api/v1/penalty-lookup', {
        token: harbin.tokens.officer,
        json: { uscc: '91350100M000100Y43', timeoutMs: 2000 },
      });
      expect(lookup.status).toBe(200);
      expect(out).toContain(harbin.url);

      // A second process on a running city's embedded database is refused, and touches nothing.
      const beside = await tongban(['ledger', 'verify', '--city', '230100', '--data-dir', dataDir]);
      expect(beside.code).toBe(1);
      expect(beside.stderr).toContain(`in use by process ${child.pid}`);
      // …and so is a second sandbox on the same data dir: it exits at once, before taking a
      // port or rewriting sandbox.json
      const before = readFileSync(join(dataDir, 'sandbox.json'), 'utf8');
      const second = await tongban(
        ['sandbox', '--data-dir', dataDir, '--port-base', String(portBase + 100)],
        {},
        { timeoutMs: 20_000 },
      );
      expect(second.stderr).toContain(`in use by process ${child.pid}`);
      expect(second.code).toBe(1);
      expect(readFileSync(join(dataDir, 'sandbox.json'), 'utf8')).toBe(before);
      expect((await api(harbin.url, 'GET', '/readyz')).status).toBe(200);
    } finally {
      child.kill('SIGINT');
      expect(await exited).toBe(0);
    }
    try {
      // …and once the sandbox has stopped, the same command opens it and finds it whole.
      const after = await tongban(['ledger', 'verify', '--city', '230100', '--data-dir', dataDir]);
      expect(after.stdout).toMatch(/ledger of 230100 OK: [1-9]\d* entries/);
      expect(after.code).toBe(0);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});
