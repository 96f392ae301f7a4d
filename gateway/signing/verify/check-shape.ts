import { TongbanError } from '../../errors';
import { pointerToken } from '../encoding';
import { MESSAGE_TYPES, type Envelope } from '../types';
import { CITY_ID, SHA256_DIGEST, UUID, isRfc3339Utc } from './envelope-fields';

type Problem = { pointer: string; detail: string };

/** Members of the contract `Envelope` (tests/unit/contracts keeps this list in step). */
export const ENVELOPE_MEMBERS = new Set([
  'id',
  'type',
  'from',
  'to',
  'contract',
  'issuedAt',
  'caseRef',
  'body',
]);
const CONTRACT_MEMBERS = new Set(['name', 'version', 'digest']);

/**
 * The payload is an `Envelope` of the exchange contract: every required member, the right
 * types and formats, nothing else (`additionalProperties: false`). Reports every problem,
 * pointing at the first (RFC 6901 pointers into the envelope).
 */
export function checkShape(value: unknown): Envelope {
  const problems: Problem[] = [];
  if (!isObject(value)) {
    problems.push({ pointer: '', detail: 'envelope must be a JSON object' });
  } else {
    checkEnvelope(value, problems);
  }
  const first = problems[0];
  if (first) {
    throw new TongbanError(
      'signature_malformed',
      `Envelope is not well-formed: ${first.detail} at "${first.pointer}"`,
      { pointer: first.pointer, errors: problems },
    );
  }
  return value as unknown as Envelope;
}

function checkEnvelope(env: Record<string, unknown>, problems: Problem[]): void {
  const need = (ok: boolean, pointer: string, detail: string): void => {
    if (!ok) problems.push({ pointer, detail });
  };
  unknownMembers(env, ENVELOPE_MEMBERS, '', problems);
  need(isString(env.id) && UUID.test(env.id), '/id', 'id must be a lower-case UUID');
  need(
    MESSAGE_TYPES.some((t) => t === env.type),
    '/type',
    `type must be one of ${MESSAGE_TYPES.join(', ')}`,
  );
  need(isString(env.from) && CITY_ID.test(env.from), '/from', 'from must be a 6-digit city code');
  need(isString(env.to) && CITY_ID.test(env.to), '/to', 'to must be a 6-digit city code');
  need(
    isString(env.issuedAt) && isRfc3339Utc(env.issuedAt),
    '/issuedAt',
    'issuedAt must be an RFC 3339 UTC date-time',
  );
  need(env.caseRef === undefined || isString(env.caseRef), '/caseRef', 'caseRef must be a string');
  need('body' in env, '/body', 'body is required');
  const contract = env.contract;
  if (!isObject(contract)) {
    problems.push({ pointer: '/contract', detail: 'contract must be an object' });
    return;
  }
  unknownMembers(contract, CONTRACT_MEMBERS, '/contract', problems);
  need(
    isString(contract.name) && contract.name !== '',
    '/contract/name',
    'contract name must be a non-empty string',
  );
  need(isString(contract.version), '/contract/version', 'contract version must be a string');
  need(
    isString(contract.digest) && SHA256_DIGEST.test(contract.digest),
    '/contract/digest',
    'contract digest must be sha256:<64 hex>',
  );
}

function unknownMembers(
  obj: Record<string, unknown>,
  allowed: Set<string>,
  at: string,
  problems: Problem[],
): void {
  for (const name of Object.keys(obj)) {
    if (!allowed.has(name))
      problems.push({
        pointer: `${at}/${pointerToken(name)}`,
        detail: 'unknown member',
      });
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isString(v: unknown): v is string {
  return typeof v === 'string';
}
