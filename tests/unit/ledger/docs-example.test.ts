import { createPrivateKey, createPublicKey } from 'node:crypto';
import { formatCheckpoint, signNote, verifyNote, vkeyOf } from '../../../gateway/ledger';
import { hex, merkleVectors as v } from './helpers/vectors';

/** The worked example in docs/ledger.md, kept true by this test. Ed25519 signing is deterministic. */
describe('docs/ledger.md worked checkpoint example', () => {
  // RFC 8410 PKCS#8 wrapping of the test seed 32 × 0x42 (never a real key).
  const privateKey = createPrivateKey({
    key: Buffer.concat([
      Buffer.from('302e020100300506032b657004220420', 'hex'),
      Buffer.alloc(32, 0x42),
    ]),
    format: 'der',
    type: 'pkcs8',
  });
  const name = 'tongban.example/ledger/230100';
  const vkey =
    'tongban.example/ledger/230100+59d68491+ASFS+NGbeR0kRTJC4V8uq2y3z/p7al7TAJeWDgaYgdsS';
  const note =
    'tongban.example/ledger/230100\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n\n' +
    '\u2014 tongban.example/ledger/230100 WdaEkdorC67o+/Pwcpyd+5AIA9QAjMOwbcdpmjyF1xPic+j1+E0r3SzhHEkoxMLhfBuUAcuhAPgKSMupbiJ1XmpfCQs=\n';

  it(`signs the size-8 root of the classic CT tree (${v.source})`, () => {
    expect(vkeyOf(name, createPublicKey(privateKey))).toBe(vkey);
    const text = formatCheckpoint({ origin: name, size: 8, root: hex(v.rootsBySize['8']) });
    expect(signNote(text, { name, privateKey })).toBe(note);
    expect(verifyNote(note, vkey).signers).toEqual([name]);
  });
});
