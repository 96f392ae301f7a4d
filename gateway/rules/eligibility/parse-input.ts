/** Read the pre-check request (see fields.ts); `today` fills in a missing request date. */
import type { AssessInput } from '../types';
import { asArray, asDate, asDivision, asObject, asText, invalid } from './fields';
import { parseRecord } from './parse-record';

/** Bound on one request, so a hostile payload cannot make the check run for ever. */
export const MAX_RECORDS = 500;

export interface ParsedInput extends AssessInput {
  requestDate: string;
}

export function parseInput(raw: unknown, today: string): ParsedInput {
  const input = asObject(raw, '');
  const records = asArray(input.records, '/records');
  if (records.length > MAX_RECORDS) {
    throw invalid('/records', `at most ${MAX_RECORDS} records per request`);
  }
  const parsed: ParsedInput = {
    requestDate:
      input.requestDate === undefined ? today : asDate(input.requestDate, '/requestDate'),
    members: asArray(input.members, '/members').map((m, i) => asDivision(m, `/members/${i}`)),
    records: records.map(parseRecord),
  };
  if (input.rulesVersion !== undefined) {
    parsed.rulesVersion = asText(input.rulesVersion, '/rulesVersion');
  }
  return parsed;
}
