import type { RestAdapterOptions } from '../../gateway/config/city-config';
import { checkRestMapping } from './check-mapping';
import { contractFields, type ContractField } from './contract-fields';
import { offsetOf } from './dates';
import { FieldMap, type Codec, type Codes } from './field-map';
import { parsePath } from './paths';
import { NAMED_CODE_LISTS, SECTION_NAMES, SECTIONS, type SectionName } from './sections';

export const DEFAULT_DATE_FORMAT = 'yyyy-MM-dd';
export const DEFAULT_DATE_TIME_FORMAT = 'yyyyMMddHHmmss';

/** Every mapping section of a rest adapter, compiled; `records` is `fields`' records[] part. */
export interface CompiledMapping {
  sections: Partial<Record<SectionName, FieldMap>>;
  /** Penalty records as the platform lists them (the items of the submission's record list). */
  records: FieldMap;
  codec: Codec;
}

/** Check and compile a rest mapping; throws with every problem when it is not usable. */
export function compileMapping(o: RestAdapterOptions, timezone?: string): CompiledMapping {
  const problems = checkRestMapping(o);
  if (problems.length > 0) {
    throw new Error(
      `rest adapter mapping is invalid:\n${problems.map((p) => `  ${p.pointer}: ${p.message}`).join('\n')}`,
    );
  }
  const byPath = new Map<string, Codes>(Object.entries(o.codeLists ?? {}));
  const byName = new Map<string, Codes>();
  for (const [k, name] of Object.entries(NAMED_CODE_LISTS)) {
    const codes = o[k as keyof typeof NAMED_CODE_LISTS];
    if (codes) byName.set(name, codes);
  }
  for (const [k, codes] of byPath)
    if (!k.includes('.') && !k.includes('[]') && !byName.has(k)) byName.set(k, codes);
  const codec: Codec = {
    dateFormat: o.dateFormat ?? DEFAULT_DATE_FORMAT,
    dateTimeFormat: o.dateTimeFormat ?? DEFAULT_DATE_TIME_FORMAT,
    offsetMinutes: offsetOf(timezone),
    codesFor(f: ContractField) {
      return byPath.get(f.path) ?? byName.get(f.enumName ?? f.items?.enumName ?? '');
    },
  };
  const sections: Partial<Record<SectionName, FieldMap>> = {};
  for (const name of SECTION_NAMES) {
    const map = o[name];
    if (!map) continue;
    const catalogue = contractFields(SECTIONS[name].schema);
    sections[name] = new FieldMap(
      Object.entries(map).map(([c, p]) => ({
        contract: parsePath(c)!,
        platform: parsePath(p)!,
        field: catalogue.get(c)!,
      })),
      codec,
    );
  }
  return { sections, records: sections.fields!.under('records[]'), codec };
}
