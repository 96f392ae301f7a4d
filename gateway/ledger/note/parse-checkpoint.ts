import { TongbanError } from '../../errors';
import { HASH_SIZE } from '../merkle/hash';
import { decodeBase64 } from './base64';
import type { Checkpoint } from './checkpoint';

const malformed = (why: string): TongbanError =>
  new TongbanError('signature_malformed', `malformed checkpoint: ${why}`);

// c2sp.org/tlog-checkpoint: "ASCII decimal ... with no leading zeroes". Sizes beyond 2^53 are
// refused rather than rounded: no Tongban ledger comes near them.
const DECIMAL = /^(?:0|[1-9][0-9]{0,15})$/;

/** Parses checkpoint note text (already signature-verified: parse only what you trust). */
export function parseCheckpoint(text: string): Checkpoint {
  if (!text.endsWith('\n')) throw malformed('text does not end in a newline');
  const lines = text.slice(0, -1).split('\n');
  const [origin, sizeLine, rootLine, ...extensions] = lines;
  if (origin === undefined || sizeLine === undefined || rootLine === undefined)
    throw malformed('fewer than three lines');
  if (lines.some((l) => l === '')) throw malformed('empty line');
  if (!DECIMAL.test(sizeLine) || !Number.isSafeInteger(Number(sizeLine)))
    throw malformed('tree size is not a decimal uint');
  const root = decodeBase64(rootLine);
  if (!root || root.length !== HASH_SIZE) throw malformed('root hash is not base64 of 32 bytes');
  return { origin, size: Number(sizeLine), root, extensions };
}
