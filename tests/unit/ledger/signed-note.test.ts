import { generateKeyPairSync } from 'node:crypto';
import { TongbanError } from '../../../gateway/errors';
import { parseNote } from '../../../gateway/ledger/note/parse-note';
import { signNote } from '../../../gateway/ledger/note/sign-note';
import { verifyNote } from '../../../gateway/ledger/note/verify-note';
import { parseVkey, vkeyOf } from '../../../gateway/ledger/note/vkey';
import { noteVectors as v } from './helpers/vectors';

const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
    return undefined;
  } catch (e) {
    return e instanceof TongbanError ? e.code : 'not a TongbanError';
  }
};

describe(`C2SP signed notes (${v.source})`, () => {
  it.each(v.valid.map((c) => [c.vkey.split('+')[0], c] as const))(
    'verifies the note signed by %s',
    (name, c) => {
      const out = verifyNote(c.note, c.vkey);
      expect(out.signers).toEqual([name]);
      expect(c.note.startsWith(out.text)).toBe(true);
    },
  );

  it.each(v.valid.map((c) => c.vkey))('round-trips the verifier key %s', (vkey) => {
    const parsed = parseVkey(vkey);
    expect(vkeyOf(parsed.name, parsed.publicKey)).toBe(vkey);
  });

  describe('when the note must be rejected', () => {
    it.each(v.mustFail)('rejects: $why', (c) => {
      expect(codeOf(() => verifyNote(c.note, c.vkey))).toBe('bad_signature');
    });

    const good = v.valid[0]!;
    const sigLine = good.note.slice(good.note.lastIndexOf('\n\n') + 2);
    it.each([
      ['no blank line before the signatures', good.note.replace('\n\n', '\n')],
      ['a hyphen instead of the em dash', good.note.replace('\u2014', '-')],
      ['no final newline', good.note.slice(0, -1)],
      ['a carriage return', good.note.replace('message.', 'message.\r')],
      ['a tab in the text', good.note.replace('This is', 'This\tis')],
      ['a lone surrogate', good.note.replace('This', '\ud800This')],
      ['a non-base64 signature', good.note.replace('Uw2Q', 'Uw2*')],
      ['a signature shorter than a key ID', good.note.replace(/ [A-Za-z0-9+/=]+\n$/, ' AAAA\n')],
      ['a key name with a plus', good.note.replace('example.com/foo', 'example.com+foo')],
      ['an empty signature line', `${good.note}\n`],
      ['no signatures', good.note.slice(0, good.note.lastIndexOf('\n\n') + 2)],
      ['more than 100 signatures', good.note + sigLine.repeat(100)],
    ])('rejects a note with %s as malformed', (_why, note) => {
      expect(codeOf(() => verifyNote(note, good.vkey))).toBe('signature_malformed');
    });

    it('rejects a note signed only by unknown keys, even with a known name or key ID', () => {
      const other = v.valid[1]!;
      expect(codeOf(() => verifyNote(good.note, other.vkey))).toBe('unknown_key');
      const sameName = good.note.replace('Uw2QOk', 'AAAAAE'); // same name, different key ID
      expect(codeOf(() => verifyNote(sameName, good.vkey))).toBe('unknown_key');
    });

    it.each([
      ['two parts', 'example.com/foo+530d903a'],
      ['a wrong key ID', v.valid[0]!.vkey.replace('530d903a', '530d903b')],
      [
        'a non-Ed25519 type byte',
        'example.com/foo+530d903a+AukyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k',
      ],
      ['a short key', 'example.com/foo+530d903a+AekyeRrm'],
    ])('rejects a verifier key with %s', (_why, vkey) => {
      expect(codeOf(() => parseVkey(vkey))).toBe('invalid_parameter');
    });
  });
});

describe('signing notes with an Ed25519 KeyObject', () => {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const other = generateKeyPairSync('ed25519');
  const vkey = vkeyOf('tongban.example/230100', publicKey);

  it('produces a note that verifies, with the key ID of the vkey', () => {
    const note = signNote('hello\n\nworld\n', { name: 'tongban.example/230100', privateKey });
    expect(verifyNote(note, vkey)).toEqual({
      text: 'hello\n\nworld\n',
      signers: ['tongban.example/230100'],
    });
    expect(Buffer.from(parseNote(note).signatures[0]!.keyId).toString('hex')).toBe(
      vkey.split('+')[1],
    );
  });

  it('accepts a cosigned note when any one known key verifies, ignoring the unknown one', () => {
    const note = signNote('text\n', [
      { name: 'witness.example', privateKey: other.privateKey },
      { name: 'tongban.example/230100', privateKey },
    ]);
    expect(verifyNote(note, vkey).signers).toEqual(['tongban.example/230100']);
    expect(
      verifyNote(note, [vkey, vkeyOf('witness.example', other.publicKey)]).signers,
    ).toHaveLength(2);
  });

  describe('when the input cannot be signed', () => {
    it('refuses text without a final newline, a bad key name, or a non-Ed25519 key', () => {
      expect(codeOf(() => signNote('no newline', { name: 'a', privateKey }))).toBe(
        'invalid_parameter',
      );
      expect(codeOf(() => signNote('x\n', { name: 'a b', privateKey }))).toBe('invalid_parameter');
      const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      expect(codeOf(() => signNote('x\n', { name: 'a', privateKey: ec.privateKey }))).toBe(
        'config_invalid',
      );
    });
  });
});
