import Ajv2020, { type ErrorObject } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isMap, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { checkCityAdapter } from '../../adapters/mapping/check-mapping';
import { TongbanError } from '../errors';
import { readOkpJwk } from '../signing/keys/read-okp-jwk';
import type { CityConfig } from './city-config';
import { CONTRACTS_DIR } from './paths';

export interface ConfigProblem {
  file: string;
  pointer: string;
  line?: number;
  message: string;
}

let compiled: ReturnType<Ajv2020['compile']> | undefined;
function validator() {
  if (!compiled) {
    const ajv = new Ajv2020({ allErrors: true, strict: false, useDefaults: true });
    addFormats(ajv);
    const schema = JSON.parse(readFileSync(join(CONTRACTS_DIR, 'city-config.schema.json'), 'utf8'));
    compiled = ajv.compile(schema);
  }
  return compiled;
}

/** Find the YAML node at a JSON pointer, to report a line number. */
function lineOf(doc: Document, lc: LineCounter, pointer: string): number | undefined {
  const parts = pointer
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  let node: unknown = doc.contents;
  let last: Node | undefined = doc.contents ?? undefined;
  for (const part of parts) {
    if (isMap(node)) {
      const pair = node.items.find(
        (it) => String((it.key as { value?: unknown })?.value ?? it.key) === part,
      );
      node = pair?.value;
      if (pair?.key) last = pair.key as Node;
    } else if (isSeq(node)) {
      node = node.items[Number(part)];
    } else break;
    if (node && typeof node === 'object' && 'range' in node) last = node as Node;
  }
  const start = last?.range?.[0];
  return start === undefined ? undefined : lc.linePos(start).line;
}

function describe(e: ErrorObject): { pointer: string; message: string } {
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'additionalProperties':
      return {
        pointer: `${e.instancePath}/${String(p.additionalProperty)}`,
        message: `unknown field "${String(p.additionalProperty)}"`,
      };
    case 'required':
      return {
        pointer: `${e.instancePath}/${String(p.missingProperty)}`,
        message: `missing required field "${String(p.missingProperty)}"`,
      };
    case 'enum':
      return {
        pointer: e.instancePath,
        message: `must be one of ${JSON.stringify(p.allowedValues)}`,
      };
    default:
      return { pointer: e.instancePath || '/', message: e.message ?? 'is invalid' };
  }
}

/** Parse and validate one city config's YAML text. Problems name the file, field and line. */
export function parseCityConfig(
  file: string,
  text: string,
): { config?: CityConfig; problems: ConfigProblem[] } {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false });
  if (doc.errors.length > 0) {
    return {
      problems: doc.errors.map((err) => ({
        file,
        pointer: '',
        line: lc.linePos(err.pos[0]).line,
        message: `YAML syntax: ${err.message.split('\n')[0]}`,
      })),
    };
  }
  const data: unknown = doc.toJS();
  const validate = validator();
  if (!validate(data)) {
    const seen = new Set<string>();
    const problems: ConfigProblem[] = [];
    for (const e of validate.errors ?? []) {
      // if/then wrappers only repeat what the inner error already says
      if (e.keyword === 'if') continue;
      const d = describe(e);
      const key = `${d.pointer}|${d.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      problems.push({
        file,
        pointer: d.pointer,
        line: lineOf(doc, lc, d.pointer),
        message: d.message,
      });
    }
    return { problems };
  }
  // Beyond the schema: a rest adapter's mapping against the exchange contract.
  const mapping = checkCityAdapter(data as CityConfig).map((p) => ({
    file,
    ...p,
    line: lineOf(doc, lc, p.pointer),
  }));
  if (mapping.length > 0) return { problems: mapping };
  // Pinned keys must be usable keys (readOkpJwk: a point of the right group, kid its thumbprint).
  const keys = checkPinnedKeys(data as CityConfig).map((p) => ({
    file,
    ...p,
    line: lineOf(doc, lc, p.pointer),
  }));
  if (keys.length > 0) return { problems: keys };
  return { config: data as CityConfig, problems: [] };
}

function checkPinnedKeys(config: CityConfig): { pointer: string; message: string }[] {
  const problems: { pointer: string; message: string }[] = [];
  for (const list of ['pinned', 'next'] as const) {
    (config.keys?.[list] ?? []).forEach((jwk, i) => {
      try {
        readOkpJwk(jwk, 'public');
      } catch (e) {
        if (!(e instanceof TongbanError)) throw e;
        problems.push({
          pointer: `/keys/${list}/${i}${e.details.pointer ?? ''}`,
          message: e.message,
        });
      }
    });
  }
  return problems;
}

export function formatProblem(p: ConfigProblem): string {
  return `${p.file}${p.line ? `:${p.line}` : ''}: ${p.pointer || '(document)'}: ${p.message}`;
}
