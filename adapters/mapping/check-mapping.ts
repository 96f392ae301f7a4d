import type { RestAdapterOptions } from '../../gateway/config/city-config';
import { containerKey, contractFields, hasSchema, type ContractField } from './contract-fields';
import { checkFormat } from './dates';
import { arrayPrefixes, parsePath } from './paths';
import {
  GATEWAY_ONLY_STATUSES,
  NAMED_CODE_LISTS,
  SECTION_NAMES,
  SECTIONS,
  type SectionName,
} from './sections';

/** One mapping mistake: where it is in the config (JSON pointer) and what is wrong. */
export interface MappingProblem {
  pointer: string;
  message: string;
}

const CONTRACT = 'contracts/exchange.v1.yaml';
const esc = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');

/**
 * Static checks of a rest adapter's mapping against the exchange contract: every mapped field
 * exists in the contract, every required field is mapped, arrays map to arrays consistently,
 * code lists use contract values (and cover every value that is sent), date formats and
 * endpoints are usable. `base` is the options' JSON pointer in the city config.
 */
export function checkRestMapping(
  o: RestAdapterOptions,
  base = '/adapter/options',
): MappingProblem[] {
  const problems: MappingProblem[] = [];
  const add = (pointer: string, message: string) => problems.push({ pointer, message });
  const mapped: { section: SectionName; field: ContractField }[] = [];

  for (const section of SECTION_NAMES) {
    const spec = SECTIONS[section];
    const map = o[section];
    const at = `${base}/${section}`;
    if (!map) continue;
    const catalogue = contractFields(spec.schema);
    const arrays = new Map<string, string>();
    const targets = new Map<string, string>();
    const present = new Set<string>();
    for (const [cPath, pPath] of Object.entries(map)) {
      const ptr = `${at}/${esc(cPath)}`;
      const cSegs = parsePath(cPath);
      const field = catalogue.get(cPath);
      if (!cSegs || !field) {
        const hint = suggest(
          cPath,
          [...catalogue.values()].filter((f) => !f.container).map((f) => f.path),
        );
        add(
          ptr,
          `"${cPath}" is not a field of ${spec.schema} in ${CONTRACT}${hint ? ` (did you mean "${hint}"?)` : ''}`,
        );
        continue;
      }
      if (field.container) {
        const children = [...catalogue.values()]
          .filter((f) => containerKey(f.parent) === cPath)
          .map((f) => f.path);
        add(
          ptr,
          `"${cPath}" is ${field.type === 'array' ? 'a list of objects' : 'an object'}; map its fields instead (${children.join(', ')})`,
        );
        continue;
      }
      const pSegs = parsePath(pPath);
      if (!pSegs) {
        add(
          ptr,
          `platform field "${pPath}" is not a path (names joined by ".", "[]" after a list)`,
        );
        continue;
      }
      const cArrays = arrayPrefixes(cSegs);
      const pArrays = arrayPrefixes(pSegs);
      if (cArrays.length !== pArrays.length) {
        add(
          ptr,
          `"${cPath}" is inside ${cArrays.length} list(s) but platform field "${pPath}" inside ${pArrays.length}; a list maps to a list ("records[].x: cfxx[].y")`,
        );
        continue;
      }
      let consistent = true;
      cArrays.forEach((c, i) => {
        const prev = arrays.get(c);
        if (prev === undefined) arrays.set(c, pArrays[i]!);
        else if (prev !== pArrays[i]) {
          add(
            ptr,
            `list "${c}" maps to "${prev}" elsewhere in ${section}, here to "${pArrays[i]}"`,
          );
          consistent = false;
        }
      });
      if (!consistent) continue;
      const dup = targets.get(pPath);
      if (dup) add(ptr, `platform field "${pPath}" is already the target of "${dup}"`);
      targets.set(pPath, cPath);
      mapped.push({ section, field });
      for (let p = field.parent; p; p = catalogue.get(containerKey(p))?.parent ?? '')
        present.add(containerKey(p));
    }
    for (const f of catalogue.values()) {
      if (
        f.container ||
        !f.required ||
        (spec.supplied as readonly string[]).includes(f.path) ||
        map[f.path] !== undefined
      )
        continue;
      if (!ancestorsPresent(f, catalogue, present)) continue;
      add(
        at,
        `required field "${f.path}" of ${spec.schema} is not mapped (add "${f.path}: <platform field>")`,
      );
    }
  }
  checkCodeLists(o, base, mapped, add);
  for (const [key, kind] of [
    ['dateFormat', 'date'],
    ['dateTimeFormat', 'datetime'],
  ] as const) {
    const f = o[key];
    const why = f === undefined ? undefined : checkFormat(f, kind);
    if (why) add(`${base}/${key}`, why);
  }
  checkEndpoints(o, base, add);
  return problems;
}

function ancestorsPresent(
  f: ContractField,
  catalogue: Map<string, ContractField>,
  present: Set<string>,
): boolean {
  for (let p = f.parent; p;) {
    const c = catalogue.get(containerKey(p));
    if (!c) break;
    if (!c.required && !present.has(c.path)) return false;
    p = c.parent;
  }
  return true;
}

function checkCodeLists(
  o: RestAdapterOptions,
  base: string,
  mapped: { section: SectionName; field: ContractField }[],
  add: (pointer: string, message: string) => void,
): void {
  const lists: { key: string; pointer: string; codes: Record<string, string | boolean> }[] = [];
  for (const [k, name] of Object.entries(NAMED_CODE_LISTS)) {
    const codes = o[k as keyof typeof NAMED_CODE_LISTS];
    if (codes) lists.push({ key: name, pointer: `${base}/${k}`, codes });
  }
  for (const [k, codes] of Object.entries(o.codeLists ?? {}))
    lists.push({ key: k, pointer: `${base}/codeLists/${esc(k)}`, codes });

  for (const l of lists) {
    const byPath = mapped.filter((m) => m.field.path === l.key).map((m) => m.field);
    const byName = mapped
      .filter((m) => (m.field.enumName ?? m.field.items?.enumName) === l.key)
      .map((m) => m.field);
    let allowed: readonly (string | boolean)[] | undefined;
    if (byPath[0]) {
      const f = byPath[0];
      allowed = f.enum ?? f.items?.enum ?? (f.type === 'boolean' ? [true, false] : undefined);
      if (!allowed) {
        add(
          l.pointer,
          `"${l.key}" is a free ${f.type} field; code lists are for enums and booleans`,
        );
        continue;
      }
    } else if (byName[0]) {
      allowed = byName[0].enum ?? byName[0].items?.enum;
    } else if (hasSchema(l.key)) {
      // a known enum that no mapped field uses: harmless, nothing to check against a field
      continue;
    } else {
      add(l.pointer, `"${l.key}" is neither a mapped field nor an enum schema of ${CONTRACT}`);
      continue;
    }
    for (const [code, value] of Object.entries(l.codes)) {
      if (!allowed?.includes(value)) {
        add(
          `${l.pointer}/${esc(code)}`,
          `${JSON.stringify(value)} is not one of ${JSON.stringify(allowed)}`,
        );
      } else if (l.key === 'DelegationStatus' && GATEWAY_ONLY_STATUSES.includes(String(value))) {
        add(
          `${l.pointer}/${esc(code)}`,
          `status "${String(value)}" is set by the gateway itself; a platform cannot report it`,
        );
      }
    }
    // Values sent to the platform need a code each.
    const sent = [...byPath, ...byName].filter((f) =>
      mapped.some((m) => m.field === f && SECTIONS[m.section].direction === 'out'),
    );
    if (sent.length > 0 && allowed) {
      const values = new Set(Object.values(l.codes));
      const missing = allowed.filter((v) => !values.has(v));
      if (missing.length) {
        add(
          l.pointer,
          `no code for ${missing.map((m) => JSON.stringify(m)).join(', ')} (${sent[0]!.path} is sent to the platform)`,
        );
      }
    }
  }
  if (o.statusCodes && !Object.values(o.statusCodes).includes('repaired')) {
    add(
      `${base}/statusCodes`,
      'no platform code means "repaired": no delegation to this city could ever be completed',
    );
  }
}

const PLACEHOLDER = /\{([A-Za-z]+)\}/g;
const ENDPOINT_NEEDS: Record<string, string[]> = {
  deliver: [],
  status: ['delegationId'],
  materials: ['delegationId'],
  withdraw: ['delegationId'],
  penalties: ['uscc'],
};

function checkEndpoints(
  o: RestAdapterOptions,
  base: string,
  add: (pointer: string, message: string) => void,
): void {
  for (const [name, value] of Object.entries(o.endpoints ?? {})) {
    const ptr = `${base}/endpoints/${name}`;
    if (typeof value !== 'string') continue;
    const used = [...value.matchAll(PLACEHOLDER)].map((m) => m[1]!);
    const need = ENDPOINT_NEEDS[name] ?? [];
    for (const u of used)
      if (!need.includes(u))
        add(
          ptr,
          `unknown placeholder {${u}} (this endpoint knows ${need.map((n) => `{${n}}`).join(', ') || 'none'})`,
        );
    for (const n of need) if (!used.includes(n)) add(ptr, `must contain {${n}}`);
  }
  if (o.materialsFields && !o.endpoints?.materials)
    add(`${base}/endpoints`, 'materialsFields is set but endpoints.materials is not');
  if (o.endpoints?.materials && !o.materialsFields)
    add(
      `${base}/materialsFields`,
      'endpoints.materials is set: map the materials (materialsFields)',
    );
  if (o.withdrawalFields && !o.endpoints?.withdraw)
    add(`${base}/endpoints`, 'withdrawalFields is set but endpoints.withdraw is not');
}

/** The closest candidate by edit distance, when it is close enough to be a likely typo. */
function suggest(word: string, candidates: string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const d = distance(word.toLowerCase(), c.toLowerCase());
    if (d < bestD) [best, bestD] = [c, d];
  }
  return bestD <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(
        prev[j]! + 1,
        cur[j - 1]! + 1,
        prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    prev = cur;
  }
  return prev[b.length]!;
}

/** Adapter checks beyond the schema for one city config (`tongban config validate`, start-up). */
export function checkCityAdapter(c: {
  adapter: { kind: string; options?: Record<string, unknown> };
  gateway?: unknown;
}): MappingProblem[] {
  if (c.adapter.kind !== 'rest') return [];
  const problems: MappingProblem[] = [];
  if (c.gateway) {
    problems.push({
      pointer: '/gateway',
      message:
        'a rest city has no gateway (its platform is reached at adapter.options.baseUrl); remove gateway: or use adapter kind gateway',
    });
  }
  return [...problems, ...checkRestMapping(c.adapter.options as unknown as RestAdapterOptions)];
}
