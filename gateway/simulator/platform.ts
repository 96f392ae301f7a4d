/**
 * A fake city credit platform (信用修复平台) with a deliberately different API from the
 * exchange contract: pinyin field names, string status codes, yyyyMMdd dates, results wrapped
 * in { code, msg, data }. In memory. It stands in for a city that does not run Tongban, so the
 * rest adapter and its mapping can be exercised end to end (tests, sandbox, integrators).
 *
 *   申请 application:  ywlsh 业务流水号 (our delegation id) · sqbh 申请编号 · ajbh 案件编号
 *                      djcs 登记城市 · tyshxydm 统一社会信用代码 · qymc 企业名称 · sqrxm 申请人
 *                      sqrjs 申请人角色 · tjsj 提交时间 (yyyyMMddHHmmss) · gzbb 规则版本
 *   处罚 cfxx[]:       xzqh 区划 · cfjg 处罚机关 · hylb 行业类别 · cfjdsh 处罚决定书号
 *                      cfrq 处罚日期 · gsksrq 公示开始日期 · cfzl[].lb 处罚种类 · cfjb 处罚级别
 *                      fkje 罚款金额 · jnrq 缴纳日期 · lxqk 其他义务履行情况 ("1"/"0")
 *   材料 clqd[]:       cllx 材料类型 · wjm 文件名 · hash SHA-256
 *   状态:              zt 状态码 · ztmc 状态名称 · bbh 版本号 · gxsj 更新时间 · yy 原因 · bzcl 补正材料
 */
import { randomBytes } from 'node:crypto';

export const STATUS = {
  '01': '已接收',
  '02': '已受理',
  '03': '审核中',
  '04': '待补正',
  '05': '审核通过',
  '06': '已修复',
  '07': '不予受理',
  '08': '不予修复',
  '09': '已撤回',
} as const;
export type StatusCode = keyof typeof STATUS;
export const FINAL: readonly StatusCode[] = ['06', '07', '08', '09'];
/** The path auto-progress follows: received → accepted → reviewing → approved → repaired. */
const AUTO_PATH: readonly StatusCode[] = ['01', '02', '03', '05', '06'];

export const SECTOR_CODES = ['01', '02', '03', '04', '05', '06', '07', '99'];
export const MEASURE_CODES = ['01', '02', '03', '04', '05', '06', '07', '08', '09', '10', '99'];

export type Obj = Record<string, unknown>;

export interface Application {
  ywlsh: string;
  sqbh: string;
  zt: StatusCode;
  bbh: number;
  gxsj: string;
  yy?: string;
  bzcl?: string[];
  sq: Obj;
  clqd: Obj[];
  polls: number;
}

/** A refusal in the platform's own terms: HTTP status, result code, message. */
export class PlatformError extends Error {
  constructor(
    readonly http: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const pad = (n: number) => String(n).padStart(2, '0');
/** Beijing time, yyyyMMddHHmmss. */
export function stamp(d = new Date()): string {
  const t = new Date(d.getTime() + 8 * 3600_000);
  return `${t.getUTCFullYear()}${pad(t.getUTCMonth() + 1)}${pad(t.getUTCDate())}${pad(t.getUTCHours())}${pad(t.getUTCMinutes())}${pad(t.getUTCSeconds())}`;
}

const DATE8 = /^\d{8}$/;
const STAMP14 = /^\d{14}$/;

function need(o: Obj, field: string, test: (v: unknown) => boolean, what: string, at = ''): void {
  if (!(field in o) || o[field] === undefined || o[field] === null || o[field] === '') {
    throw new PlatformError(400, '1001', `缺少字段 missing field ${at}${field}`);
  }
  if (!test(o[field]))
    throw new PlatformError(400, '1002', `字段格式错误 bad field ${at}${field}: ${what}`);
}

function only(o: Obj, allowed: string[], at = ''): void {
  for (const k of Object.keys(o))
    if (!allowed.includes(k))
      throw new PlatformError(400, '1003', `未知字段 unknown field ${at}${k}`);
}

const str = (v: unknown) => typeof v === 'string';
const date8 = (v: unknown) => typeof v === 'string' && DATE8.test(v);

/** Check one penalty item (cfxx[i]) the way the platform does. */
export function checkPenalty(p: Obj, at: string): void {
  only(
    p,
    ['xzqh', 'cfjg', 'hylb', 'cfjdsh', 'cfrq', 'gsksrq', 'cfzl', 'cfjb', 'fkje', 'jnrq', 'lxqk'],
    at,
  );
  need(p, 'xzqh', (v) => typeof v === 'string' && /^\d{6}$/.test(v), '6-digit division code', at);
  need(p, 'cfjg', str, 'text', at);
  need(p, 'hylb', (v) => SECTOR_CODES.includes(String(v)), `one of ${SECTOR_CODES.join('/')}`, at);
  need(p, 'cfjdsh', str, 'text', at);
  need(p, 'cfrq', date8, 'yyyyMMdd', at);
  need(p, 'gsksrq', date8, 'yyyyMMdd', at);
  need(p, 'cfzl', (v) => Array.isArray(v) && v.length > 0, 'non-empty list', at);
  (p.cfzl as Obj[]).forEach((m, i) => {
    only(m, ['lb'], `${at}cfzl[${i}].`);
    need(
      m,
      'lb',
      (v) => MEASURE_CODES.includes(String(v)),
      `one of ${MEASURE_CODES.join('/')}`,
      `${at}cfzl[${i}].`,
    );
  });
  need(p, 'cfjb', (v) => ['1', '2', '3'].includes(String(v)), '1/2/3', at);
  need(p, 'lxqk', (v) => v === '1' || v === '0', '"1" or "0"', at);
  if (p.fkje !== undefined && typeof p.fkje !== 'number')
    throw new PlatformError(400, '1002', `字段格式错误 bad field ${at}fkje: number`);
  if (p.jnrq !== undefined && p.jnrq !== null && !date8(p.jnrq))
    throw new PlatformError(400, '1002', `字段格式错误 bad field ${at}jnrq: yyyyMMdd`);
}

function checkMaterials(list: unknown, at: string): Obj[] {
  if (!Array.isArray(list))
    throw new PlatformError(400, '1002', `字段格式错误 bad field ${at}: list`);
  return list.map((m: Obj, i) => {
    only(m, ['cllx', 'wjm', 'hash'], `${at}[${i}].`);
    need(m, 'cllx', str, 'text', `${at}[${i}].`);
    need(m, 'wjm', str, 'text', `${at}[${i}].`);
    need(
      m,
      'hash',
      (v) => typeof v === 'string' && /^[0-9a-f]{64}$/.test(v),
      'SHA-256 hex',
      `${at}[${i}].`,
    );
    return m;
  });
}

export interface PlatformOptions {
  /** Advance every open application one step along 01→02→03→05→06 each N status polls. */
  autoProgressAfterPolls?: number;
  now?: () => Date;
}

/** The platform's state and rules. */
export class Platform {
  readonly applications = new Map<string, Application>();
  readonly penalties: { tyshxydm: string; cfxx: Obj }[] = [];
  private serial = 0;

  constructor(private readonly o: PlatformOptions = {}) {}

  private now(): Date {
    return this.o.now?.() ?? new Date();
  }

  submit(body: Obj): Application {
    only(body, [
      'ywlsh',
      'ajbh',
      'djcs',
      'tyshxydm',
      'qymc',
      'sqrxm',
      'sqrjs',
      'tjsj',
      'gzbb',
      'cfxx',
      'clqd',
    ]);
    need(body, 'ywlsh', str, 'text');
    const existing = this.applications.get(String(body.ywlsh));
    if (existing) return existing; // the same application again: idempotent
    need(body, 'ajbh', str, 'text');
    need(body, 'djcs', (v) => typeof v === 'string' && /^\d{6}$/.test(v), '6-digit city code');
    need(
      body,
      'tyshxydm',
      (v) => typeof v === 'string' && /^[0-9A-HJ-NPQRTUWXY]{18}$/.test(v),
      '18-character USCC',
    );
    need(body, 'qymc', str, 'text');
    need(body, 'tjsj', (v) => typeof v === 'string' && STAMP14.test(v), 'yyyyMMddHHmmss');
    need(body, 'cfxx', (v) => Array.isArray(v) && v.length > 0, 'non-empty list');
    (body.cfxx as Obj[]).forEach((p, i) => checkPenalty(p, `cfxx[${i}].`));
    const clqd = checkMaterials(body.clqd ?? [], 'clqd');
    const a: Application = {
      ywlsh: String(body.ywlsh),
      sqbh: `XF${stamp(this.now()).slice(0, 8)}${String(++this.serial).padStart(5, '0')}${randomBytes(2).toString('hex').toUpperCase()}`,
      zt: '01',
      bbh: 1,
      gxsj: stamp(this.now()),
      sq: body,
      clqd,
      polls: 0,
    };
    this.applications.set(a.ywlsh, a);
    return a;
  }

  get(ywlsh: string): Application {
    const a = this.applications.get(ywlsh);
    if (!a) throw new PlatformError(404, '2001', `申请不存在 no application ${ywlsh}`);
    return a;
  }

  /** A status query; with auto-progress on, every N queries move the application a step. */
  poll(ywlsh: string): Application {
    const a = this.get(ywlsh);
    const n = this.o.autoProgressAfterPolls;
    if (n && n > 0 && !FINAL.includes(a.zt)) {
      a.polls += 1;
      if (a.polls % n === 0) {
        const i = AUTO_PATH.indexOf(a.zt);
        if (i >= 0 && i < AUTO_PATH.length - 1) this.set(a.ywlsh, AUTO_PATH[i + 1]!);
      }
    }
    return a;
  }

  supplement(ywlsh: string, body: Obj): Application {
    const a = this.get(ywlsh);
    if (a.zt !== '04')
      throw new PlatformError(
        409,
        '3001',
        `当前状态不能补正 status ${a.zt} ${STATUS[a.zt]}: no materials were requested`,
      );
    only(body, ['clqd', 'sm']);
    need(body, 'clqd', (v) => Array.isArray(v) && v.length > 0, 'non-empty list');
    a.clqd.push(...checkMaterials(body.clqd, 'clqd'));
    return this.set(ywlsh, '03');
  }

  withdraw(ywlsh: string, body: Obj): Application {
    const a = this.get(ywlsh);
    only(body, ['yy']);
    if (FINAL.includes(a.zt)) return a; // decided: stays as it is
    return this.set(ywlsh, '09', { yy: typeof body.yy === 'string' ? body.yy : '申请人撤回' });
  }

  /** The platform's officers decide (admin endpoint; tests and the sandbox drive it). */
  set(ywlsh: string, zt: string, extra: { yy?: string; bzcl?: string[] } = {}): Application {
    const a = this.get(ywlsh);
    if (!(zt in STATUS)) throw new PlatformError(400, '1002', `未知状态 unknown status ${zt}`);
    if (FINAL.includes(a.zt) && zt !== a.zt)
      throw new PlatformError(409, '3002', `已办结 application is final (${a.zt} ${STATUS[a.zt]})`);
    a.zt = zt as StatusCode;
    a.bbh += 1;
    a.gxsj = stamp(this.now());
    a.yy = extra.yy;
    a.bzcl = zt === '04' ? extra.bzcl : undefined;
    return a;
  }

  view(a: Application): Obj {
    return {
      ywlsh: a.ywlsh,
      sqbh: a.sqbh,
      zt: a.zt,
      ztmc: STATUS[a.zt],
      bbh: a.bbh,
      gxsj: a.gxsj,
      ...(a.yy ? { yy: a.yy } : {}),
      ...(a.bzcl?.length ? { bzcl: a.bzcl } : {}),
    };
  }

  addPenalty(tyshxydm: string, cfxx: Obj): void {
    checkPenalty(cfxx, 'cfxx.');
    this.penalties.push({ tyshxydm, cfxx });
  }

  penaltiesOf(tyshxydm: string): Obj[] {
    return this.penalties.filter((p) => p.tyshxydm === tyshxydm).map((p) => p.cfxx);
  }
}
