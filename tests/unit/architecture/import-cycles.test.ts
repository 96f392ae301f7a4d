import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/**
 * No module of the gateway or the adapters imports itself back through others at run time
 * (type-only imports are erased and do not count). A cycle makes load order matter: a value
 * read during start-up from a module still loading is `undefined`.
 */
const ROOT = resolve(__dirname, '..', '..', '..');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return sources(p);
    return p.endsWith('.ts') && !p.endsWith('.d.ts') ? [p] : [];
  });
}

/** The relative modules a file imports for their values. */
export function runtimeImports(file: string, text: string): string[] {
  const out: string[] = [];
  const statement = /^(?:import|export)\s+(type\s+)?([^;()=]*?)\bfrom\s+'(\.[^']*)'/gms;
  for (const m of text.matchAll(statement)) {
    const [, typeOnly, clause = '', spec = ''] = m;
    if (typeOnly) continue;
    // `import { type A, type B } from …` is erased too.
    const names = /^\{([^}]*)\}\s*$/s.exec(clause.trim())?.[1];
    if (names !== undefined && names.split(',').every((n) => /^\s*(type\s|$)/.test(n))) continue;
    const base = resolve(dirname(file), spec);
    const target = [`${base}.ts`, join(base, 'index.ts')].find((p) => existsSync(p));
    if (target) out.push(target);
  }
  return out;
}

/** Strongly connected components with more than one module (Tarjan). */
export function cycles(graph: Map<string, string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  let next = 0;
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const comp: string[] = [];
      for (let w = stack.pop()!; ; w = stack.pop()!) {
        onStack.delete(w);
        comp.push(w);
        if (w === v) break;
      }
      if (comp.length > 1) found.push(comp.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

describe('module structure', () => {
  it('has no run-time import cycle in gateway/ or adapters/', () => {
    const files = [...sources(join(ROOT, 'gateway')), ...sources(join(ROOT, 'adapters'))];
    expect(files.length).toBeGreaterThan(100);
    const graph = new Map(files.map((f) => [f, runtimeImports(f, readFileSync(f, 'utf8'))]));
    const named = cycles(graph).map((c) => c.map((f) => relative(ROOT, f)));
    expect(named).toEqual([]);
  });

  describe('when reading imports', () => {
    const here = join(ROOT, 'gateway', 'delivery', 'x.ts');
    it('counts value imports and re-exports, not type-only ones', () => {
      const text = [
        "import { a } from './worker';",
        "import type { B } from './claim';",
        "import { type C, type D } from './send';",
        "import { type E, f } from './backoff';",
        "export { g } from './sweep';",
        "import pino from 'pino';",
      ].join('\n');
      expect(runtimeImports(here, text).map((f) => relative(ROOT, f))).toEqual([
        'gateway/delivery/worker.ts',
        'gateway/delivery/backoff.ts',
        'gateway/delivery/sweep.ts',
      ]);
    });
    it('finds a cycle of two and one of three, and none in a chain', () => {
      const g = new Map([
        ['a', ['b']],
        ['b', ['a']],
        ['c', ['d']],
        ['d', ['e']],
        ['e', ['c']],
        ['f', ['g']],
        ['g', []],
      ]);
      expect(cycles(g)).toEqual([
        ['a', 'b'],
        ['c', 'd', 'e'],
      ]);
    });
  });
});
