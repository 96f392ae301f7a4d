import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { CONTRACTS_DIR } from '../../gateway/config/paths';

/**
 * The fields of an exchange-contract message, flattened to mapping paths, read from
 * contracts/exchange.v1.yaml itself (never a hand-kept list): what may be mapped, what is
 * required, which values an enum allows and which fields are dates.
 */
export type FieldType =
  'string' | 'number' | 'integer' | 'boolean' | 'date' | 'datetime' | 'object' | 'array' | 'any';

export interface ContractField {
  path: string;
  type: FieldType;
  /** Required in its parent object. */
  required: boolean;
  nullable: boolean;
  enum?: readonly (string | boolean)[];
  /** The named schema of the enum (`Severity`, `DelegationStatus`…), for code lists by name. */
  enumName?: string;
  /** For an array of scalars: the items' type (and enum). */
  items?: Omit<ContractField, 'path' | 'required' | 'items' | 'container' | 'parent'>;
  /** An object or an array of objects: its fields are mapped, not itself. */
  container: boolean;
  /** Path of the enclosing container ('' for the message itself). */
  parent: string;
}

type Schema = Record<string, unknown>;

let doc: { components: { schemas: Record<string, Schema> } } | undefined;
function schemas(): Record<string, Schema> {
  doc ??= parse(readFileSync(join(CONTRACTS_DIR, 'exchange.v1.yaml'), 'utf8')) as typeof doc;
  return doc!.components.schemas;
}

export function hasSchema(name: string): boolean {
  return Object.prototype.hasOwnProperty.call(schemas(), name);
}

interface Described {
  type: FieldType;
  nullable: boolean;
  enum?: (string | boolean)[];
  enumName?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
}

function describe(s: Schema, name?: string): Described {
  if (typeof s.$ref === 'string') {
    const ref = s.$ref.replace('#/components/schemas/', '');
    if (ref === 'Date') return { type: 'date', nullable: false };
    if (ref === 'DateTime') return { type: 'datetime', nullable: false };
    const target = schemas()[ref];
    if (!target) throw new Error(`exchange contract: unresolved $ref ${s.$ref}`);
    return describe(target, ref);
  }
  const alternatives = (s.oneOf ?? s.anyOf) as Schema[] | undefined;
  if (alternatives) {
    const rest = alternatives.filter((a) => a.type !== 'null');
    const one =
      rest.length === 1 ? describe(rest[0]!, name) : { type: 'any' as const, nullable: false };
    return { ...one, nullable: rest.length < alternatives.length || one.nullable };
  }
  let t = s.type;
  let nullable = false;
  if (Array.isArray(t)) {
    nullable = t.includes('null');
    t = t.find((x) => x !== 'null');
  }
  const enumValues = s.enum as (string | boolean)[] | undefined;
  const base = {
    nullable,
    ...(enumValues ? { enum: enumValues, ...(name ? { enumName: name } : {}) } : {}),
  };
  if (s.const !== undefined) return { type: 'string', ...base, enum: [s.const as string] };
  switch (t) {
    case 'string':
      if (s.format === 'date') return { type: 'date', ...base };
      if (s.format === 'date-time') return { type: 'datetime', ...base };
      return { type: 'string', ...base };
    case 'number':
    case 'integer':
    case 'boolean':
      return { type: t, ...base };
    case 'array':
      return { type: 'array', ...base, items: (s.items ?? {}) as Schema };
    case 'object':
      return {
        type: 'object',
        ...base,
        properties: (s.properties ?? {}) as Record<string, Schema>,
        required: (s.required ?? []) as string[],
      };
    default:
      return s.properties ? describe({ ...s, type: 'object' }, name) : { type: 'any', ...base };
  }
}

const cache = new Map<string, Map<string, ContractField>>();

/** Every field of the named contract schema (e.g. `DelegationCreate`), by mapping path. */
export function contractFields(root: string): Map<string, ContractField> {
  const hit = cache.get(root);
  if (hit) return hit;
  const rootSchema = schemas()[root];
  if (!rootSchema) throw new Error(`exchange contract has no schema ${root}`);
  const out = new Map<string, ContractField>();
  const walk = (d: Described, prefix: string) => {
    for (const [prop, s] of Object.entries(d.properties ?? {})) {
      const path = prefix ? `${prefix}.${prop}` : prop;
      const f = describe(s);
      const required = (d.required ?? []).includes(prop);
      if (f.type === 'object') {
        out.set(path, {
          path,
          type: 'object',
          required,
          nullable: f.nullable,
          container: true,
          parent: prefix,
        });
        walk(f, path);
      } else if (f.type === 'array') {
        const item = describe(f.items ?? {});
        if (item.type === 'object') {
          out.set(path, {
            path,
            type: 'array',
            required,
            nullable: f.nullable,
            container: true,
            parent: prefix,
          });
          walk(item, `${path}[]`);
        } else {
          const { properties: _p, required: _r, items: _i, ...scalar } = item;
          out.set(path, {
            path,
            type: 'array',
            required,
            nullable: f.nullable,
            items: scalar,
            container: false,
            parent: prefix,
          });
        }
      } else {
        const { properties: _p, required: _r, items: _i, ...scalar } = f;
        out.set(path, { path, ...scalar, required, container: false, parent: prefix });
      }
    }
  };
  walk(describe(rootSchema, root), '');
  cache.set(root, out);
  return out;
}

/** The container a path's parent refers to: `records[].decisionNo` → `records`. */
export function containerKey(parent: string): string {
  return parent.replace(/\[\]$/, '');
}
