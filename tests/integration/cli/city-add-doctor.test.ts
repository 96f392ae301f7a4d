import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addCity } from '../../../gateway/cli/city-add';
import { runDoctor } from '../../../gateway/cli/config-doctor';
import { parseCityConfig } from '../../../gateway/config/validate-city-config';
import { DEMO_PLATFORM_PENALTIES } from '../../../gateway/simulator/demo';
import { startPlatformSimulator, type RunningSimulator } from '../../../gateway/simulator/server';
import { startFederation, type TestFederation } from '../../support/federation';
import { tongban } from '../../support/cli';
import { addShenzhen, copyCityConfigs } from '../../support/city-configs';

const cli = tongban;

const SHENZHEN = '440300';
const fails = <R extends { result: string }>(rows: R[]) => rows.filter((r) => r.result === 'fail');

describe('tongban city add', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'tongban-add-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes a valid, commented config for each adapter kind', () => {
    for (const [id, adapter, url] of [
      ['440300', 'rest', 'https://xyxf.sz.example.gov.cn'],
      ['510100', 'manual', 'https://tongban.chengdu.example.gov.cn'],
      ['610100', 'gateway', 'https://exchange.xian.example.gov.cn'],
    ] as const) {
      const { file, text } = addCity({
        configDir: dir,
        id,
        nameZh: '某市',
        nameEn: 'Somecity',
        adapter,
        url,
      });
      expect(text).toMatch(/^# /);
      expect(parseCityConfig(file, readFileSync(file, 'utf8')).problems).toEqual([]);
    }
  });

  it('refuses to overwrite, and writes nothing invalid', async () => {
    const args = [
      'city',
      'add',
      '--config-dir',
      dir,
      '--id',
      SHENZHEN,
      '--name-zh',
      '深圳市',
      '--name-en',
      'Shenzhen',
      '--adapter',
      'rest',
      '--url',
      'http://127.0.0.1:9',
    ];
    const first = await cli(args);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain(`wrote ${join(dir, `${SHENZHEN}.yaml`)}`);
    const again = await cli(args);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('already exists');
    expect(() =>
      addCity({
        configDir: dir,
        id: '44030',
        nameZh: 'x',
        nameEn: 'x',
        adapter: 'rest',
        url: 'http://x',
      }),
    ).toThrow(/nothing written[\s\S]*\/id/);
    expect(existsSync(join(dir, '44030.yaml'))).toBe(false);
    expect(() =>
      addCity({ configDir: dir, id: '510100', nameZh: 'x', nameEn: 'x', adapter: 'manual' }),
    ).toThrow(/--url/);
  }, 90_000);

  it('tongban config validate names the file and the field of a mapping mistake', async () => {
    const { file } = addCity({
      configDir: dir,
      id: SHENZHEN,
      nameZh: '深圳市',
      nameEn: 'Shenzhen',
      adapter: 'rest',
      url: 'http://127.0.0.1:9',
    });
    writeFileSync(
      file,
      readFileSync(file, 'utf8').replace('company.uscc: tyshxydm', 'company.usci: tyshxydm'),
    );
    const r = await cli(['config', 'validate', file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      new RegExp(
        `${SHENZHEN}\\.yaml:\\d+: /adapter/options/fields/company\\.usci: "company\\.usci" is not a field of DelegationCreate .*did you mean "company\\.uscc"`,
      ),
    );
    expect(r.stderr).toContain('required field "company.uscc" of DelegationCreate is not mapped');
  }, 90_000);
});

describe('tongban config doctor', () => {
  let sim: RunningSimulator;
  let dir: string;
  let fed: TestFederation;
  const writeShenzhen = (url: string, edit: (t: string) => string = (t) => t) => {
    rmSync(join(dir, `${SHENZHEN}.yaml`), { force: true });
    const { file, text } = addShenzhen(dir, url);
    writeFileSync(file, edit(text));
  };

  beforeAll(async () => {
    sim = await startPlatformSimulator({ seed: DEMO_PLATFORM_PENALTIES });
    dir = copyCityConfigs('tongban-doctor-');
    fed = await startFederation(['330100']);
  });
  afterAll(async () => {
    await fed.close();
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('passes a rest city whose mapping matches the live platform', async () => {
    writeShenzhen(sim.url);
    const rows = await runDoctor({ city: SHENZHEN, configDir: dir, env: {} });
    expect(fails(rows)).toEqual([]);
    expect(rows.map((r) => r.check)).toEqual(
      expect.arrayContaining([
        'config',
        'reachable',
        'clock skew',
        'mapping: status',
        'mapping: records',
      ]),
    );
  });

  it('fails a mapping that names a field the live platform does not send, with the fix', async () => {
    writeShenzhen(sim.url, (t) =>
      t.replace('records[].decisionNo: cfxx[].cfjdsh', 'records[].decisionNo: cfxx[].jdsh'),
    );
    const rows = await runDoctor({ city: SHENZHEN, configDir: dir, env: {} });
    expect(fails(rows)).toEqual([
      expect.objectContaining({
        check: 'mapping: records',
        detail: expect.stringContaining('cfxx[].jdsh (records[].decisionNo)'),
        fix: expect.stringContaining('sends unmapped: cfxx[].cfjdsh'),
      }),
    ]);
  });

  it('fails an unreachable platform and missing credentials, saying what to do', async () => {
    // Port 9 on loopback: closed, and never handed out to another test's server (a free port
    // picked here could be taken by a parallel test's gateway before the doctor connects).
    writeShenzhen('http://127.0.0.1:9');
    const down = await runDoctor({ city: SHENZHEN, configDir: dir, env: {} });
    expect(fails(down)[0]).toMatchObject({
      check: 'reachable',
      fix: expect.stringContaining('adapter.options.baseUrl'),
    });
    writeShenzhen(sim.url, (t) => t.replace('# authHeader:', 'authHeader:'));
    const noToken = await runDoctor({ city: SHENZHEN, configDir: dir, env: {} });
    expect(fails(noToken)[0]).toMatchObject({
      check: 'credentials',
      fix: `export TONGBAN_${SHENZHEN}_TOKEN=<the token the platform issued> before starting the gateway`,
    });
  });

  it('checks a gateway city: reachable, clock, pinned key, contract digest, identity', async () => {
    const hz = { '330100': fed.gw['330100']!.url };
    const ok = await runDoctor({
      city: '330100',
      configDir: dir,
      keysDir: fed.keysDir,
      urlOverrides: hz,
    });
    expect(fails(ok)).toEqual([]);
    expect(ok.map((r) => `${r.check}:${r.result}`)).toEqual([
      'config:pass',
      'reachable:pass',
      'clock skew:pass',
      'keys:pass',
      'contract digest:pass',
    ]);
    const unpinned = await runDoctor({ city: '330100', configDir: dir, urlOverrides: hz });
    expect(fails(unpinned)).toEqual([
      expect.objectContaining({ check: 'keys', fix: expect.stringContaining('keys.pinned') }),
    ]);
    const wrong = await runDoctor({
      city: '230100',
      configDir: dir,
      keysDir: fed.keysDir,
      urlOverrides: { '230100': fed.gw['330100']!.url },
    });
    expect(fails(wrong).map((r) => r.check)).toEqual(['keys', 'identity']);
  });

  it('prints a pass/fail table and exits non-zero on a failure', async () => {
    writeShenzhen(sim.url);
    const good = await cli(['config', 'doctor', '--city', SHENZHEN, '--config-dir', dir]);
    expect(good.code).toBe(0);
    expect(good.stdout).toMatch(/CHECK\s+RESULT\s+DETAIL/);
    expect(good.stdout).toContain('all checks passed');
    // Port 9 on loopback: closed, and never handed out to another test's server (a free port
    // picked here could be taken by a parallel test's gateway before the doctor connects).
    writeShenzhen('http://127.0.0.1:9');
    const bad = await cli(['config', 'doctor', '--city', SHENZHEN, '--config-dir', dir]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/reachable\s+FAIL/);
    expect(bad.stdout).toMatch(/CHECK\s+FIX/);
  }, 90_000);
});
