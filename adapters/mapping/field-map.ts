import type { ContractField } from './contract-fields';
import { formatDate, formatDateTime, parseDate, parseDateTime } from './dates';
import { getPlain, setPlain, type Segment } from './paths';

/** A value that cannot be carried across the mapping; names the contract field. */
export class MappingError extends Error {
  override readonly name = 'MappingError';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}

export type Codes = Readonly<Record<string, string | boolean>>;

export interface Codec {
  dateFormat: string;
  dateTimeFormat: string;
  offsetMinutes: number;
  /** The code list that applies to a contract field, if any. */
  codesFor(field: ContractField): Codes | undefined;
}

export interface Pair {
  contract: Segment[];
  platform: Segment[];
  field: ContractField;
}

type Obj = Record<string, unknown>;
type Side = 'contract' | 'platform';

/**
 * One mapping section compiled: moves values between a contract-shaped object and a
 * platform-shaped one, field by field, through arrays (`records[]` ↔ `cfxx[]`), converting
 * dates and code lists on the way. Fields that are not mapped are not carried.
 */
export class FieldMap {
  constructor(
    readonly pairs: readonly Pair[],
    private readonly codec: Codec,
  ) {}

  toPlatform(obj: unknown): Obj {
    return this.transfer(obj, this.pairs, 'contract', 'platform');
  }

  fromPlatform(obj: unknown): Obj {
    return this.transfer(obj, this.pairs, 'platform', 'contract');
  }

  /** The pairs under one array of the contract side, relative to it (`records[]` → its items). */
  under(contractArray: string): FieldMap {
    const depth = contractArray.split('.').length;
    const prefix = contractArray + '.';
    const sub = this.pairs
      .filter((p) => joinSegs(p.contract).startsWith(prefix))
      .map((p) => {
        const pIdx = nthArray(p.platform, p.contract.slice(0, depth).filter((s) => s.array).length);
        return { ...p, contract: p.contract.slice(depth), platform: p.platform.slice(pIdx + 1) };
      });
    return new FieldMap(sub, this.codec);
  }

  /** The platform array a contract array maps to (`records[]` → `cfxx[]`). */
  platformArrayOf(contractArray: string): string | undefined {
    const depth = contractArray.split('.').length;
    const p = this.pairs.find((x) => joinSegs(x.contract).startsWith(contractArray + '.'));
    if (!p) return undefined;
    const idx = nthArray(p.platform, p.contract.slice(0, depth).filter((s) => s.array).length);
    return joinSegs(p.platform.slice(0, idx + 1));
  }

  private transfer(src: unknown, pairs: readonly Pair[], from: Side, to: Side): Obj {
    const dst: Obj = {};
    const groups = new Map<string, { fromArr: Segment[]; toArr: Segment[]; pairs: Pair[] }>();
    for (const p of pairs) {
      const i = p[from].findIndex((s) => s.array);
      if (i === -1) {
        const v = getPlain(src, p[from]);
        if (v === undefined) continue;
        const out = from === 'contract' ? this.out(v, p.field) : this.in(v, p.field);
        if (out !== undefined) setPlain(dst, p[to], out);
        continue;
      }
      const j = p[to].findIndex((s) => s.array);
      const key = joinSegs(p[from].slice(0, i + 1));
      let g = groups.get(key);
      if (!g)
        groups.set(
          key,
          (g = { fromArr: p[from].slice(0, i + 1), toArr: p[to].slice(0, j + 1), pairs: [] }),
        );
      const rest = { ...p, [from]: p[from].slice(i + 1), [to]: p[to].slice(j + 1) } as Pair;
      g.pairs.push(rest);
    }
    for (const g of groups.values()) {
      const arr = getPlain(src, g.fromArr);
      if (arr === undefined || arr === null) continue;
      if (!Array.isArray(arr)) {
        throw new MappingError(g.pairs[0]!.field.path, `${joinSegs(g.fromArr)} is not a list`);
      }
      setPlain(
        dst,
        g.toArr,
        arr.map((item) => this.transfer(item, g.pairs, from, to)),
      );
    }
    return dst;
  }

  /** A contract value as the platform writes it. */
  private out(v: unknown, f: ContractField): unknown {
    if (v === null) return null;
    if (f.type === 'array' && f.items) {
      if (!Array.isArray(v)) throw new MappingError(f.path, 'is not a list');
      return v.map((x) => this.outScalar(x, { ...f, ...f.items }));
    }
    return this.outScalar(v, f);
  }

  private outScalar(v: unknown, f: ContractField): unknown {
    const codes = this.codec.codesFor(f);
    if (codes) {
      const code = Object.keys(codes).find((k) => codes[k] === v);
      if (code === undefined)
        throw new MappingError(f.path, `no platform code for ${JSON.stringify(v)}`);
      return code;
    }
    try {
      if (f.type === 'date') return formatDate(String(v), this.codec.dateFormat);
      if (f.type === 'datetime')
        return formatDateTime(String(v), this.codec.dateTimeFormat, this.codec.offsetMinutes);
    } catch (e) {
      throw new MappingError(f.path, (e as Error).message);
    }
    return v;
  }

  /** A platform value as the contract has it. */
  private in(v: unknown, f: ContractField): unknown {
    if (v === null || v === '') return f.nullable ? null : undefined;
    if (f.type === 'array' && f.items) {
      const list = Array.isArray(v) ? v : [v];
      return list.map((x) => this.inScalar(x, { ...f, ...f.items }));
    }
    return this.inScalar(v, f);
  }

  private inScalar(v: unknown, f: ContractField): unknown {
    const codes = this.codec.codesFor(f);
    if (codes) {
      const c = codes[String(v)];
      if (c === undefined)
        throw new MappingError(f.path, `unknown platform code ${JSON.stringify(v)}`);
      return c;
    }
    try {
      if (f.type === 'date') return parseDate(String(v), this.codec.dateFormat);
      if (f.type === 'datetime')
        return parseDateTime(String(v), this.codec.dateTimeFormat, this.codec.offsetMinutes);
    } catch (e) {
      throw new MappingError(f.path, (e as Error).message);
    }
    if (
      (f.type === 'number' || f.type === 'integer') &&
      typeof v === 'string' &&
      v.trim() !== '' &&
      !Number.isNaN(Number(v))
    ) {
      return Number(v);
    }
    return v;
  }
}

export function joinSegs(segs: readonly Segment[]): string {
  return segs.map((s) => s.name + (s.array ? '[]' : '')).join('.');
}

/** Index of the n-th (1-based) array segment. */
function nthArray(segs: readonly Segment[], n: number): number {
  let seen = 0;
  for (let i = 0; i < segs.length; i++) {
    if (segs[i]!.array && ++seen === n) return i;
  }
  return -1;
}
