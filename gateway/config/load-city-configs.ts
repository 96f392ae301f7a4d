import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { TongbanError } from '../errors';
import type { LoadedCityConfig } from './city-config';
import { formatProblem, parseCityConfig, type ConfigProblem } from './validate-city-config';

export function listConfigFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => join(dir, f));
}

/** Validate files and report every problem (for `tongban config validate`). */
export function checkConfigFiles(files: string[]): {
  loaded: LoadedCityConfig[];
  problems: ConfigProblem[];
} {
  const loaded: LoadedCityConfig[] = [];
  const problems: ConfigProblem[] = [];
  const ids = new Map<string, string>();
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      problems.push({ file, pointer: '', message: `cannot read: ${(e as Error).message}` });
      continue;
    }
    const r = parseCityConfig(file, text);
    problems.push(...r.problems);
    if (!r.config) continue;
    const stem = basename(file).replace(/\.ya?ml$/, '');
    if (/^\d{6}$/.test(stem) && stem !== r.config.id) {
      problems.push({
        file,
        pointer: '/id',
        message: `id "${r.config.id}" does not match the file name ${stem}`,
      });
    }
    const dup = ids.get(r.config.id);
    if (dup)
      problems.push({
        file,
        pointer: '/id',
        message: `city ${r.config.id} is also defined in ${dup}`,
      });
    ids.set(r.config.id, file);
    loaded.push({ file, config: deepFreeze(r.config) });
  }
  return { loaded, problems };
}

/** Load a directory of city configs once at start; any problem stops start-up. */
export function loadCityConfigs(dir: string): LoadedCityConfig[] {
  const { loaded, problems } = checkConfigFiles(listConfigFiles(dir));
  if (problems.length > 0) {
    throw new TongbanError(
      'config_invalid',
      `Invalid city config:\n${problems.map(formatProblem).join('\n')}`,
      {
        errors: problems.map((p) => ({ pointer: p.pointer, detail: formatProblem(p) })),
      },
    );
  }
  if (loaded.length === 0)
    throw new TongbanError('config_invalid', `No city configs (*.yaml) in ${dir}`);
  return loaded;
}

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object') {
    for (const v of Object.values(o)) deepFreeze(v);
    Object.freeze(o);
  }
  return o;
}
