import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { checkRestMapping } from '../../../adapters/mapping/check-mapping';
import { compileMapping } from '../../../adapters/mapping/compile';
import {
  formatDate,
  formatDateTime,
  parseDate,
  parseDateTime,
} from '../../../adapters/mapping/dates';
import { MappingError } from '../../../adapters/mapping/field-map';
import type { CityConfig, RestAdapterOptions } from '../../../gateway/config/city-config';
import { DEFAULT_CITY_CONFIG_DIR } from '../../../gateway/config/paths';
import { parseCityConfig } from '../../../gateway/config/validate-city-config';
import { Platform } from '../../../gateway/simulator/platform';

const file = join(DEFAULT_CITY_CONFIG_DIR, '440100.yaml');
const text = readFileSync(file, 'utf8');
const guangzhou = () => parse(text) as CityConfig;
const options = () => guangzhou().adapter.options as unknown as RestAdapterOptions;

const delegation = {
  delegationId: 'd-0000000001',
  caseId: 'c-0000000001',
  registrationCity: '230100',
  company: { uscc: '91350100M000100Y43', name: '示例物流有限公司' },
  applicant: { name: '张三', role: 'agent' },
  records: [
    {
      issuingCity: '440100',
      issuingDivision: '440106',
      authority: '广州市市场监督管理局',
      sector: 'market_supervision',
      decisionNo: '穗市监罚〔2026〕88号',
      decisionDate: '2026-05-12',
      publicityStartDate: '2026-05-18',
      measures: [{ type: 'fine' }, { type: 'warning' }],
      severity: 'ordinary',
      fineCny: 8000,
      finePaidDate: '2026-06-01',
      otherObligationsFulfilled: true,
    },
  ],
  materials: [{ kind: 'commitment_letter', fileName: 'commitment.pdf', sha256: 'a'.repeat(64) }],
  rulesVersion: 'cn-2026-04',
  submittedAt: '2026-11-20T02:00:00.000Z',
};

describe('platform dates', () => {
  it('writes and reads yyyyMMdd and other date formats', () => {
    expect(formatDate('2026-05-10', 'yyyyMMdd')).toBe('20260510');
    expect(formatDate('2026-05-10', 'yyyy/MM/dd')).toBe('2026/05/10');
    expect(parseDate('20260510', 'yyyyMMdd')).toBe('2026-05-10');
    expect(parseDate('2026年05月10日', 'yyyy年MM月dd日')).toBe('2026-05-10');
  });
  it('refuses a text that does not fit the format or is no calendar date', () => {
    expect(() => parseDate('2026-05-10', 'yyyyMMdd')).toThrow(/does not match/);
    expect(() => parseDate('20260230', 'yyyyMMdd')).toThrow(/not a calendar date/);
  });
  it('writes date-times in the city time zone and reads them back as UTC instants', () => {
    expect(formatDateTime('2026-11-20T02:00:00Z', 'yyyyMMddHHmmss', 480)).toBe('20261120100000');
    expect(formatDateTime('2026-11-19T20:30:00Z', 'yyyyMMdd HH:mm', 480)).toBe('20261120 04:30');
    expect(parseDateTime('20261120100000', 'yyyyMMddHHmmss', 480)).toBe('2026-11-20T02:00:00.000Z');
  });
});

describe('rest field mapping (Guangzhou, the reference platform)', () => {
  const m = compileMapping(options(), 'Asia/Shanghai');

  it('turns a DelegationCreate into the platform submission, which the platform accepts', () => {
    const sq = m.sections.fields!.toPlatform(delegation);
    expect(sq).toMatchObject({
      ywlsh: 'd-0000000001',
      djcs: '230100',
      tyshxydm: '91350100M000100Y43',
      qymc: '示例物流有限公司',
      tjsj: '20261120100000',
      cfxx: [
        {
          xzqh: '440100',
          hylb: '01',
          cfjdsh: '穗市监罚〔2026〕88号',
          cfrq: '20260512',
          gsksrq: '20260518',
          cfzl: [{ lb: '01' }, { lb: '02' }],
          cfjb: '2',
          fkje: 8000,
          jnrq: '20260601',
          lxqk: '1',
        },
      ],
      clqd: [{ cllx: 'commitment_letter', wjm: 'commitment.pdf', hash: 'a'.repeat(64) }],
    });
    // unmapped contract fields are not carried
    expect(JSON.stringify(sq)).not.toContain('440106');
    expect(new Platform().submit(sq).zt).toBe('01');
  });

  it('reads the platform penalty records back as contract records', () => {
    const sq = m.sections.fields!.toPlatform(delegation) as { cfxx: unknown[] };
    const { issuingDivision: _d, ...mapped } = delegation.records[0]!;
    expect(m.records.fromPlatform(sq.cfxx[0])).toEqual(mapped);
  });

  it('reads a status answer as a callback (code lists, date-times, lists)', () => {
    const r = m.sections.statusFields!.fromPlatform({
      ywlsh: 'x',
      zt: '04',
      bbh: 3,
      gxsj: '20261120100000',
      bzcl: ['缴款凭证'],
      ztmc: '待补正',
    });
    expect(r).toEqual({
      status: 'materials_requested',
      seq: 3,
      at: '2026-11-20T02:00:00.000Z',
      materialsRequested: ['缴款凭证'],
    });
  });

  it('names the field when a value has no platform code or a platform code is unknown', () => {
    const o = options();
    o.severityCodes = { '1': 'minor', '2': 'ordinary', '3': 'serious' };
    const compiled = compileMapping(o);
    const bad = { ...delegation, records: [{ ...delegation.records[0]!, sector: 'astrology' }] };
    expect(() => compiled.sections.fields!.toPlatform(bad)).toThrow(MappingError);
    expect(() => compiled.sections.fields!.toPlatform(bad)).toThrow(
      /records\[\]\.sector: no platform code for "astrology"/,
    );
    expect(() => compiled.sections.statusFields!.fromPlatform({ zt: '42' })).toThrow(
      /status: unknown platform code "42"/,
    );
  });
});

describe('rest mapping validation', () => {
  const problemsWith = (change: (o: RestAdapterOptions) => void) => {
    const o = options();
    change(o);
    return checkRestMapping(o);
  };

  it('accepts the shipped Guangzhou mapping', () => {
    expect(checkRestMapping(options())).toEqual([]);
  });

  it('names a mapped field the contract does not have, with a likely fix', () => {
    const p = problemsWith((o) => {
      o.fields['records[].decisionNumber'] = o.fields['records[].decisionNo']!;
      delete o.fields['records[].decisionNo'];
    });
    expect(p).toContainEqual({
      pointer: '/adapter/options/fields/records[].decisionNumber',
      message: expect.stringMatching(
        /"records\[\]\.decisionNumber" is not a field of DelegationCreate .*did you mean "records\[\]\.decisionNo"/,
      ),
    });
  });

  it('names a required contract field that is not mapped', () => {
    const p = problemsWith((o) => delete o.fields['company.uscc']);
    expect(p).toEqual([
      {
        pointer: '/adapter/options/fields',
        message: expect.stringContaining(
          'required field "company.uscc" of DelegationCreate is not mapped',
        ),
      },
    ]);
  });

  it('requires the fields of an optional object only once any of them is mapped', () => {
    expect(
      problemsWith((o) => (delete o.fields['applicant.name'], delete o.fields['applicant.role'])),
    ).toEqual([]);
    expect(problemsWith((o) => delete o.fields['applicant.name'])[0]?.message).toContain(
      '"applicant.name"',
    );
  });

  it('refuses objects, lists mapped to single fields, and one list mapped to two', () => {
    expect(problemsWith((o) => (o.fields.company = 'qy'))[0]?.message).toMatch(
      /an object; map its fields instead \(company\.uscc, company\.name\)/,
    );
    expect(problemsWith((o) => (o.fields['records[].authority'] = 'cfjg'))[0]?.message).toMatch(
      /inside 1 list\(s\) but platform field "cfjg" inside 0/,
    );
    expect(
      problemsWith((o) => (o.fields['records[].authority'] = 'cf[].cfjg'))[0]?.message,
    ).toMatch(/list "records\[\]" maps to "cfxx\[\]" elsewhere/);
  });

  it('checks code lists against the contract enums, and that every sent value has a code', () => {
    expect(
      problemsWith(
        (o) =>
          (o.severityCodes = { '1': 'minor', '2': 'ordinary', '3': 'serious', '4': 'critical' }),
      ),
    ).toEqual([
      {
        pointer: '/adapter/options/severityCodes/4',
        message: expect.stringContaining('"critical" is not one of'),
      },
    ]);
    expect(
      problemsWith((o) => (o.severityCodes = { '1': 'minor', '2': 'ordinary' }))[0]?.message,
    ).toMatch(/no code for "serious" \(records\[\]\.severity is sent/);
    expect(
      problemsWith((o) => (o.statusCodes = { ...o.statusCodes, '00': 'submitted' }))[0]?.message,
    ).toMatch(/set by the gateway itself/);
    expect(problemsWith((o) => delete o.statusCodes['06'])[0]?.message).toMatch(/"repaired"/);
  });

  it('checks formats and endpoints', () => {
    expect(problemsWith((o) => (o.dateFormat = 'yyyyMM'))[0]).toMatchObject({
      pointer: '/adapter/options/dateFormat',
      message: expect.stringContaining('lacks dd'),
    });
    expect(problemsWith((o) => (o.endpoints.status = 'GET /api/xyxf/sq'))[0]).toMatchObject({
      pointer: '/adapter/options/endpoints/status',
      message: 'must contain {delegationId}',
    });
  });

  it('reports a mapping mistake in a config file by file, field and line', () => {
    const bad = text.replace(
      'records[].decisionNo: cfxx[].cfjdsh',
      'records[].decisionNumber: cfxx[].cfjdsh',
    );
    const { config, problems } = parseCityConfig('gz.yaml', bad);
    expect(config).toBeUndefined();
    expect(problems).toHaveLength(2); // the unknown field, and decisionNo now unmapped
    expect(problems[0]).toMatchObject({
      file: 'gz.yaml',
      pointer: '/adapter/options/fields/records[].decisionNumber',
      line: bad.split('\n').findIndex((l) => l.includes('decisionNumber')) + 1,
    });
    expect(problems[1]!.message).toContain('required field "records[].decisionNo"');
  });

  it('refuses a rest city that also declares a gateway', () => {
    const { problems } = parseCityConfig(
      'gz.yaml',
      text + 'gateway: { url: "https://x.example" }\n',
    );
    expect(problems[0]).toMatchObject({
      pointer: '/gateway',
      message: expect.stringContaining('a rest city has no gateway'),
    });
  });
});
