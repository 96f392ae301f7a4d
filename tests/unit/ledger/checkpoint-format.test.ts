import { TongbanError } from '../../../gateway/errors';
import { formatCheckpoint } from '../../../gateway/ledger/note/format-checkpoint';
import { openCheckpoint } from '../../../gateway/ledger/note/open-checkpoint';
import { parseCheckpoint } from '../../../gateway/ledger/note/parse-checkpoint';
import { b64, noteVectors as v } from './helpers/vectors';

const real = v.valid[1]!;

describe(`C2SP tlog-checkpoint (${v.source})`, () => {
  it('opens the real sum.golang.org checkpoint', () => {
    const cp = openCheckpoint(real.note, real.vkey, 'go.sum database tree');
    expect({ origin: cp.origin, size: cp.size, rootBase64: b64(cp.root) }).toEqual(real.checkpoint);
    expect(cp.extensions).toEqual([]);
  });

  it('formats the same body it parses', () => {
    const c = real.checkpoint!;
    const text = formatCheckpoint({
      origin: c.origin,
      size: c.size,
      root: Buffer.from(c.rootBase64, 'base64'),
    });
    expect(real.note.startsWith(`${text}\n`)).toBe(true);
    expect(parseCheckpoint(`${text}ext line\n`).extensions).toEqual(['ext line']);
  });

  it('refuses a checkpoint from another origin', () => {
    expect(() => openCheckpoint(real.note, real.vkey, 'sum.golang.org')).toThrow(TongbanError);
  });
});

describe(`when the checkpoint body must be rejected (${v.checkpointBodyMustReject.source})`, () => {
  const root = real.checkpoint!.rootBase64;
  // The vector lists the rejected cases by description; these are the bodies they describe.
  const bodies: Record<string, string> = {
    'size -34': `origin\n-34\n${root}\n`,
    'size 3438945738945739845734895735': `origin\n3438945738945739845734895735\n${root}\n`,
    "root 'ThisIsn't Base64'": `origin\n34\nThisIsn't Base64\n`,
    'empty origin line': `\n34\n${root}\n`,
    'body missing its final newline': `origin\n34\n${root}`,
  };

  it('has a body for every listed case', () => {
    expect(Object.keys(bodies).sort()).toEqual([...v.checkpointBodyMustReject.cases].sort());
  });

  it.each(Object.entries(bodies))('rejects %s', (_why, body) => {
    expect(() => parseCheckpoint(body)).toThrow(
      expect.objectContaining({ code: 'signature_malformed' }),
    );
  });

  it.each([
    ['a leading zero in the size', `origin\n034\n${root}\n`],
    ['a 31-byte root', `origin\n34\n${b64(new Uint8Array(31))}\n`],
    ['fewer than three lines', `origin\n34\n`],
    ['an empty extension line', `origin\n34\n${root}\n\next\n`],
  ])('rejects %s', (_why, body) => {
    expect(() => parseCheckpoint(body)).toThrow(
      expect.objectContaining({ code: 'signature_malformed' }),
    );
  });

  it('refuses to format a checkpoint with an empty origin or a bad root', () => {
    expect(() => formatCheckpoint({ origin: '', size: 1, root: new Uint8Array(32) })).toThrow(
      TongbanError,
    );
    expect(() => formatCheckpoint({ origin: 'o', size: 1, root: new Uint8Array(31) })).toThrow(
      TongbanError,
    );
    expect(() => formatCheckpoint({ origin: 'o', size: -1, root: new Uint8Array(32) })).toThrow(
      TongbanError,
    );
  });
});
