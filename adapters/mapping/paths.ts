/**
 * Field paths as mappings write them: dot-separated names, `[]` after a name that holds an
 * array of objects, e.g. `records[].measures[].type` or `cfxx[].cfzl[].lb`.
 */
export interface Segment {
  name: string;
  array: boolean;
}

const SEGMENT = /^([A-Za-z_][A-Za-z0-9_]*)(\[\])?$/;

/** Parse a path; undefined when it is not well formed. */
export function parsePath(path: string): Segment[] | undefined {
  if (path.length === 0) return undefined;
  const out: Segment[] = [];
  for (const part of path.split('.')) {
    const m = SEGMENT.exec(part);
    if (!m) return undefined;
    out.push({ name: m[1]!, array: m[2] === '[]' });
  }
  return out;
}

export function formatPath(segs: readonly Segment[]): string {
  return segs.map((s) => s.name + (s.array ? '[]' : '')).join('.');
}

/** The array prefixes of a path: `records[].measures[].type` → `records[]`, `records[].measures[]`. */
export function arrayPrefixes(segs: readonly Segment[]): string[] {
  const out: string[] = [];
  segs.forEach((s, i) => {
    if (s.array) out.push(formatPath(segs.slice(0, i + 1)));
  });
  return out;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Read a path without array segments (callers split at arrays first). */
export function getPlain(obj: unknown, segs: readonly Segment[]): unknown {
  let v: unknown = obj;
  for (const s of segs) {
    if (!isObj(v)) return undefined;
    v = v[s.name];
  }
  return v;
}

/** Write a path without array segments, creating objects on the way. */
export function setPlain(obj: Obj, segs: readonly Segment[], value: unknown): void {
  let o = obj;
  segs.forEach((s, i) => {
    if (i === segs.length - 1) {
      o[s.name] = value;
      return;
    }
    if (!isObj(o[s.name])) o[s.name] = {};
    o = o[s.name] as Obj;
  });
}
