/**
 * Summarise V8 CPU profiles (`npm run bench -- --cpu-prof` writes them): self time per function
 * and per file, heaviest first.
 *
 *   npx tsx bench/profile-summary.ts bench/results/profiles-<time>/*.cpuprofile [--top 30] [--callers fn]
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}
interface Profile {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export function summariseProfile(p: Profile, top = 30): string {
  const self = new Map<number, number>();
  p.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (p.timeDeltas[i] ?? 0)));
  const byFn = new Map<string, number>();
  const byFile = new Map<string, number>();
  let total = 0;
  for (const n of p.nodes) {
    const t = self.get(n.id) ?? 0;
    total += t;
    const file = n.callFrame.url
      ? relative(process.cwd(), n.callFrame.url.replace(/^file:\/\//, ''))
      : '(native)';
    const fn = `${n.callFrame.functionName || '(anonymous)'} ${file}:${n.callFrame.lineNumber + 1}`;
    byFn.set(fn, (byFn.get(fn) ?? 0) + t);
    const group = file.includes('node_modules/')
      ? file.replace(/^.*node_modules\/((@[^/]+\/)?[^/]+).*$/, 'npm:$1')
      : file.startsWith('node:')
        ? 'node:*'
        : file;
    byFile.set(group, (byFile.get(group) ?? 0) + t);
  }
  const fmt = (m: Map<string, number>) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(
        ([k, v]) =>
          `${((100 * v) / total).toFixed(1).padStart(5)} %  ${(v / 1000).toFixed(0).padStart(6)} ms  ${k}`,
      )
      .join('\n');
  return `total sampled ${(total / 1000).toFixed(0)} ms\n-- by function (self)\n${fmt(byFn)}\n-- by file / package (self)\n${fmt(byFile)}`;
}

/** Who calls `name` (self time of `name` attributed to its callers' frames, `depth` levels up). */
export function callersOf(p: Profile, name: string, depth = 4): string {
  const parent = new Map<number, Node>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n);
  const self = new Map<number, number>();
  p.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (p.timeDeltas[i] ?? 0)));
  const paths = new Map<string, number>();
  for (const n of p.nodes) {
    if (n.callFrame.functionName !== name) continue;
    const t = self.get(n.id) ?? 0;
    const chain: string[] = [];
    for (let x = parent.get(n.id); x && chain.length < depth; x = parent.get(x.id)) {
      chain.push(
        `${x.callFrame.functionName || '(anonymous)'}@${x.callFrame.url.split('/').slice(-2).join('/')}:${x.callFrame.lineNumber + 1}`,
      );
    }
    const k = chain.join(' < ');
    paths.set(k, (paths.get(k) ?? 0) + t);
  }
  return [...paths.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 15)
    .map(([k, v]) => `${(v / 1000).toFixed(0).padStart(6)} ms  ${k}`)
    .join('\n');
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const ti = args.indexOf('--top');
  const top = ti >= 0 ? Number(args[ti + 1]) : 30;
  const ci = args.indexOf('--callers');
  const callers = ci >= 0 ? args[ci + 1] : undefined;
  const files = args.filter(
    (a, i) => !a.startsWith('--') && (ti < 0 || i !== ti + 1) && (ci < 0 || i !== ci + 1),
  );
  for (const f of files) {
    const p = JSON.parse(readFileSync(f, 'utf8')) as Profile;
    process.stdout.write(
      `== ${f}\n${callers ? callersOf(p, callers) : summariseProfile(p, top)}\n\n`,
    );
  }
}
