import { generateKeyPairSync } from 'node:crypto';
import { emptyRoot, witnessPeerCheckpoint } from '../../../gateway/ledger';
import { peerLog } from './helpers/peer-log';

describe('witnessing a peer checkpoint (RFC 9162 §2.1.4.2, c2sp.org/tlog-checkpoint)', () => {
  const peer = peerLog();
  peer.grow(20);
  const base = { vkey: peer.vkey, proof: [] as Uint8Array[] };

  it('accepts the first checkpoint it sees', () => {
    const r = witnessPeerCheckpoint({ ...base, previous: null, note: peer.note(8) });
    expect(r).toMatchObject({ status: 'ok', checkpoint: { size: 8, origin: peer.origin } });
  });

  it('accepts growth proven by a consistency proof', () => {
    const r = witnessPeerCheckpoint({
      ...base,
      previous: peer.head(8),
      note: peer.note(20),
      proof: peer.tree.consistency(8, 20),
    });
    expect(r.status).toBe('ok');
  });

  it('accepts a checkpoint signed by any of the peer keys during a rotation', () => {
    const rotated = peerLog(peer.origin);
    const r = witnessPeerCheckpoint({
      vkey: [rotated.vkey, peer.vkey],
      proof: [],
      previous: null,
      note: peer.note(8),
    });
    expect(r.status).toBe('ok');
  });

  it('accepts the same head again, and growth from the empty tree', () => {
    expect(
      witnessPeerCheckpoint({ ...base, previous: peer.head(8), note: peer.note(8) }).status,
    ).toBe('ok');
    expect(
      witnessPeerCheckpoint({
        ...base,
        previous: { size: 0, root: emptyRoot() },
        note: peer.note(3),
      }).status,
    ).toBe('ok');
  });

  describe('when the peer misbehaves', () => {
    it('raises fork for two roots at one size', () => {
      const r = witnessPeerCheckpoint({
        ...base,
        previous: peer.head(8),
        note: peer.note(8, new Uint8Array(32)),
      });
      expect(r.status).toBe('fork');
    });

    it('raises fork when growth cannot be proven', () => {
      const wrong = peer.tree.consistency(7, 20);
      expect(
        witnessPeerCheckpoint({
          ...base,
          previous: peer.head(8),
          note: peer.note(20),
          proof: wrong,
        }).status,
      ).toBe('fork');
      expect(
        witnessPeerCheckpoint({ ...base, previous: peer.head(8), note: peer.note(20), proof: [] })
          .status,
      ).toBe('fork');
    });

    it('raises shrink when the tree gets smaller', () => {
      expect(
        witnessPeerCheckpoint({ ...base, previous: peer.head(20), note: peer.note(8) }).status,
      ).toBe('shrink');
    });

    it.each([
      ['another key', () => peer.note(20, undefined, generateKeyPairSync('ed25519').privateKey)],
      ['an edited size', () => peer.note(20).replace('\n20\n', '\n21\n')],
      ['a malformed note', () => 'not a note'],
      ['another origin', () => peerLog('elsewhere').note()],
    ])('answers bad_signature for %s', (_why, note) => {
      const r = witnessPeerCheckpoint({ ...base, previous: peer.head(8), note: note() });
      expect(r.status).toBe('bad_signature');
      expect(r.checkpoint).toBeUndefined();
    });
  });
});
