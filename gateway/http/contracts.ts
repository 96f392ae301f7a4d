import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { CONTRACTS_DIR } from '../config/paths';
import { TongbanError } from '../errors';

/** A contract as both sides pin it: name, version and SHA-256 of the document's exact bytes. */
export interface ContractRef {
  name: string;
  version: string;
  digest: string;
}

interface OpenApiDoc {
  info: { title: string; version: string };
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, unknown> };
}

export interface Operation {
  operationId: string;
  parameters?: {
    $ref?: string;
    name?: string;
    in?: string;
    required?: boolean;
    schema?: unknown;
  }[];
  requestBody?: unknown;
  'x-tongban-message-type'?: string;
  'x-tongban-body'?: string;
}

const BASE = 'https://tongban.example/contracts/';
const FILES = { exchange: 'exchange.v1.yaml', liaison: 'liaison.v1.yaml' } as const;
export type ContractName = keyof typeof FILES;

export interface OperationInfo {
  contract: ContractName;
  method: string;
  path: string;
  op: Operation;
  pointer: string;
}

/** Loads the contracts once, computes their digests and compiles ajv validators from them. */
export class ContractRegistry {
  readonly refs: Record<ContractName, ContractRef>;
  private readonly ajv: Ajv2020;
  private readonly docs: Record<ContractName, OpenApiDoc>;
  private readonly ops = new Map<string, OperationInfo>();
  private readonly cache = new Map<string, ValidateFunction>();

  constructor(dir = CONTRACTS_DIR) {
    this.ajv = new Ajv2020({ allErrors: true, strict: false, validateSchema: false });
    addFormats(this.ajv);
    const docs = {} as Record<ContractName, OpenApiDoc>;
    const refs = {} as Record<ContractName, ContractRef>;
    for (const [name, file] of Object.entries(FILES) as [ContractName, string][]) {
      const bytes = readFileSync(join(dir, file));
      const doc = parse(bytes.toString('utf8')) as OpenApiDoc;
      docs[name] = doc;
      refs[name] = {
        name: `tongban-${name}`,
        version: doc.info.version,
        digest: 'sha256:' + createHash('sha256').update(bytes).digest('hex'),
      };
      this.ajv.addSchema(doc as object, BASE + file);
      for (const [path, methods] of Object.entries(doc.paths)) {
        for (const [method, op] of Object.entries(methods)) {
          const pointer = `#/paths/${path.replace(/~/g, '~0').replace(/\//g, '~1')}/${method}`;
          this.ops.set(op.operationId, { contract: name, method, path, op, pointer });
        }
      }
    }
    this.docs = docs;
    this.refs = refs;
  }

  operation(operationId: string): OperationInfo {
    const info = this.ops.get(operationId);
    if (!info) throw new Error(`no operation ${operationId} in the contracts`);
    return info;
  }

  operations(): OperationInfo[] {
    return [...this.ops.values()];
  }

  /**
   * Follow a `$ref` (local `#/…` or `./other.yaml#/…`) to the object and the place it sits, so
   * callers can compile validators by pointer.
   */
  resolve(
    contract: ContractName,
    ref: string,
  ): { contract: ContractName; pointer: string; value: unknown } {
    const [file, frag = ''] = ref.split('#');
    const target = file
      ? ((Object.entries(FILES).find(([, f]) => `./${f}` === file || f === file)?.[0] as
          ContractName | undefined) ?? contract)
      : contract;
    let value: unknown = this.docs[target];
    for (const part of frag.split('/').slice(1)) {
      value = (value as Record<string, unknown>)[part.replace(/~1/g, '/').replace(/~0/g, '~')];
    }
    return { contract: target, pointer: `#${frag}`, value };
  }

  /** Validator for a schema reachable by JSON pointer inside a contract. */
  validator(contract: ContractName, pointer: string): ValidateFunction {
    const key = `${contract}${pointer}`;
    let v = this.cache.get(key);
    if (!v) {
      v = this.ajv.compile({ $ref: BASE + FILES[contract] + pointer });
      this.cache.set(key, v);
    }
    return v;
  }

  schemaValidator(contract: ContractName, schemaName: string): ValidateFunction {
    return this.validator(contract, `#/components/schemas/${schemaName}`);
  }

  /** Validate `data` and throw a 400 problem naming the offending JSON pointer(s). */
  assertValid(v: ValidateFunction, data: unknown, base: string, what: string): void {
    if (v(data)) return;
    const errors = (v.errors ?? []).slice(0, 20).map((e) => toFieldError(e, base));
    const first = errors[0];
    throw new TongbanError(
      'validation_failed',
      `${what} is invalid: ${first ? `${first.pointer} ${first.detail}` : 'does not match the contract'}`,
      { pointer: first?.pointer, errors },
    );
  }
}

export function toFieldError(e: ErrorObject, base: string): { pointer: string; detail: string } {
  const p = e.params as Record<string, unknown>;
  if (e.keyword === 'required')
    return {
      pointer: `${base}${e.instancePath}/${String(p.missingProperty)}`,
      detail: 'is required',
    };
  if (e.keyword === 'additionalProperties') {
    return {
      pointer: `${base}${e.instancePath}/${String(p.additionalProperty)}`,
      detail: 'is not allowed',
    };
  }
  if (e.keyword === 'enum')
    return {
      pointer: `${base}${e.instancePath}`,
      detail: `must be one of ${(p.allowedValues as unknown[]).join(', ')}`,
    };
  return { pointer: `${base}${e.instancePath}`, detail: e.message ?? 'is invalid' };
}

let shared: ContractRegistry | undefined;
/** The process-wide registry (contracts are read once). */
export function contracts(): ContractRegistry {
  shared ??= new ContractRegistry();
  return shared;
}
