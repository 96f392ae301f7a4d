import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  checkConfigFiles,
  listConfigFiles,
  loadCityConfigs,
} from '../../../gateway/config/load-city-configs';
import { DEFAULT_CITY_CONFIG_DIR } from '../../../gateway/config/paths';
import { formatProblem, parseCityConfig } from '../../../gateway/config/validate-city-config';
import { generateCityKey, jwkThumbprint } from '../../../gateway/signing';

const harbin = readFileSync(join(DEFAULT_CITY_CONFIG_DIR, '230100.yaml'), 'utf8');

describe('city configs', () => {
  it('ships a valid config for each of the seven federation cities', () => {
    const { loaded, problems } = checkConfigFiles(listConfigFiles(DEFAULT_CITY_CONFIG_DIR));
    expect(problems.map(formatProblem)).toEqual([]);
    const ids = loaded.map((l) => l.config.id);
    expect(ids).toEqual(
      expect.arrayContaining([
        '230100',
        '120000',
        '330100',
        '130100',
        '530100',
        '450100',
        '460100',
      ]),
    );
  });

  it('loads once and freezes the result', () => {
    const [first] = loadCityConfigs(DEFAULT_CITY_CONFIG_DIR);
    expect(Object.isFrozen(first!.config)).toBe(true);
    expect(Object.isFrozen(first!.config.name)).toBe(true);
  });

  describe('when a field is wrong', () => {
    it('names the file, the JSON pointer, the line and what is wrong', () => {
      const bad = harbin.replace('unit: working_days', 'unit: work_days');
      const { problems } = parseCityConfig('bad.yaml', bad);
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatchObject({
        file: 'bad.yaml',
        pointer: '/sla/decide/unit',
        message: expect.stringContaining('working_days'),
      });
      expect(problems[0]!.line).toBe(bad.split('\n').findIndex((l) => l.includes('work_days')) + 1);
    });
    it('reports a pinned key that no signature could bind (small order), where it is', () => {
      const x = Buffer.concat([Buffer.from([1]), Buffer.alloc(31)]).toString('base64url');
      const kid = jwkThumbprint({ crv: 'Ed25519', kty: 'OKP', x });
      const text = `${harbin}keys:\n  pinned:\n    - kty: OKP\n      crv: Ed25519\n      x: ${x}\n      kid: ${kid}\n      alg: EdDSA\n      use: sig\n`;
      const { config, problems } = parseCityConfig('x.yaml', text);
      expect(config).toBeUndefined();
      expect(problems).toEqual([
        expect.objectContaining({
          pointer: '/keys/pinned/0/x',
          message: expect.stringContaining('small-order'),
          line: text.split('\n').findIndex((l) => l.includes(`x: ${x}`)) + 1,
        }),
      ]);
      // the same entry with a real key is fine
      const real = generateCityKey().publicJwk;
      const ok = text.replace(x, real.x).replace(kid, real.kid);
      expect(parseCityConfig('x.yaml', ok).problems).toEqual([]);
    });
    it('reports an unknown field by name', () => {
      expect(parseCityConfig('x.yaml', harbin + 'colour: red\n').problems[0]).toMatchObject({
        pointer: '/colour',
        message: 'unknown field "colour"',
      });
    });
    it('reports a missing required field', () => {
      const { problems } = parseCityConfig('x.yaml', harbin.replace(/^timezone:.*$/m, ''));
      expect(problems[0]).toMatchObject({
        pointer: '/timezone',
        message: 'missing required field "timezone"',
      });
    });
    it('reports YAML syntax errors with a line', () => {
      const { problems } = parseCityConfig('x.yaml', 'id: "230100"\nname: { zh: x\n');
      expect(problems[0]!.message).toMatch(/^YAML syntax/);
      expect(problems[0]!.line).toBeGreaterThan(0);
    });
  });
});
