import { tongban } from '../../support/cli';
import { api } from '../../support/http';
import { TEST_DATABASE_URL } from '../../support/db';
import { startFederation, type TestFederation } from '../../support/federation';

const cli = tongban;

/** `tongban ledger verify|prove` on a real gateway's PostgreSQL ledger. */
describe('tongban ledger', () => {
  let fed: TestFederation;
  let schema: string;
  let flags: string[];
  beforeAll(async () => {
    fed = await startFederation(['230100', '330100']);
    // federated lookups write signed queries and answers into both ledgers
    const token = await fed.token('230100');
    for (let i = 0; i < 3; i++) {
      await api(fed.gw['230100']!.url, 'POST', '/api/v1/penalty-lookup', {
        token,
        json: { uscc: '91350100M000100Y43', timeoutMs: 500 },
      });
    }
    await fed.gw['230100']!.gw.kickCheckpoint();
    schema = (fed.gw['230100']!.gw.store as unknown as { schema: string }).schema;
    flags = [
      '--city',
      '230100',
      '--database-url',
      TEST_DATABASE_URL,
      '--schema',
      schema,
      '--keys-dir',
      fed.keysDir,
    ];
    await new Promise((r) => setTimeout(r, 300));
  });
  afterAll(() => fed.close());

  it('verifies an intact ledger and proves an entry', async () => {
    const ok = await cli(['ledger', 'verify', ...flags]);
    expect(ok.stdout).toMatch(/ledger of 230100 OK: \d+ entries/);
    expect(ok.code).toBe(0);
    const proof = await cli(['ledger', 'prove', ...flags, '--index', '1']);
    expect(proof.code).toBe(0);
    expect(JSON.parse(proof.stdout)).toMatchObject({ index: 1, hashes: expect.any(Array) });
  }, 60_000);

  it("needs no flags where serve's environment names the city, database and keys", async () => {
    const env = {
      TONGBAN_CITY: '230100',
      DATABASE_URL: TEST_DATABASE_URL,
      TONGBAN_DB_SCHEMA: schema,
      TONGBAN_KEYS_DIR: fed.keysDir,
    };
    const ok = await cli(['ledger', 'verify'], env);
    expect(ok.stdout).toMatch(/ledger of 230100 OK: \d+ entries/);
    expect(ok.code).toBe(0);
    // a flag still wins over its variable
    const other = await cli(['ledger', 'verify', '--city', '330100'], env);
    expect(other.stderr).toContain('ledger of 330100 FAILED');
    expect(other.code).toBe(1);
    const none = await cli(['ledger', 'verify'], { ...env, TONGBAN_CITY: '' });
    expect(none.stderr).toContain('cityId (--city or TONGBAN_CITY): a 6-digit city code');
    expect(none.code).toBe(1);
  }, 60_000);

  describe('when a row is changed directly in the database', () => {
    it('exits non-zero naming the first tampered index', async () => {
      const s = fed.gw['230100']!.gw.store;
      await s.query('ALTER TABLE ledger_entries DISABLE TRIGGER USER');
      await s.query(
        `UPDATE ledger_entries SET data = convert_to('{"forged":true}', 'UTF8') WHERE idx = 2`,
      );
      await s.query('ALTER TABLE ledger_entries ENABLE TRIGGER USER');
      const bad = await cli(['ledger', 'verify', ...flags]);
      expect(bad.code).toBe(1);
      expect(bad.stderr).toMatch(/first bad index 2/);
    }, 60_000);
  });
});
