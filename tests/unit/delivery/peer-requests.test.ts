import { HeldSlots, PeerRequests } from '../../../gateway/delivery/peer-requests';

describe('PeerRequests (requests in flight per peer)', () => {
  it('counts each peer’s taken slots and frees each slot once', () => {
    const r = new PeerRequests();
    const a1 = r.take('A');
    const a2 = r.take('A');
    r.take('B');
    expect([r.count('A'), r.count('B'), r.count('C')]).toEqual([2, 1, 0]);
    expect(a1()).toBe(true); // at the answer
    expect(a1()).toBe(false); // again when settled: already free
    expect(r.count('A')).toBe(1);
    expect(a2()).toBe(true);
    expect(r.count('A')).toBe(0);
    expect(r.count('B')).toBe(1);
  });
});

describe('HeldSlots (answered requests whose slot waits for the next batch)', () => {
  const setup = () => {
    const r = new PeerRequests();
    const held = new HeldSlots();
    /** A request to `peer`, answered with too few jobs waiting: its slot is held. */
    const answered = (peer: string) => {
      const free = r.take(peer);
      const release = () => {
        held.drop(peer, release);
        free();
      };
      held.hold(peer, release);
      return release;
    };
    return { r, held, answered };
  };

  it('frees a peer’s held slots once enough jobs wait, and only that peer’s', () => {
    const { r, held, answered } = setup();
    answered('A');
    answered('B');
    expect(held.releaseIf('A', false)).toBe(0); // too few still: kept
    expect(r.count('A')).toBe(1);
    expect(held.releaseIf('A', true)).toBe(1);
    expect([r.count('A'), r.count('B')]).toEqual([0, 1]);
    expect(held.releaseIf('A', true)).toBe(0); // nothing held any more
  });

  it('forgets a slot its request freed itself (settled before enough jobs came)', () => {
    const { r, held, answered } = setup();
    const settle = answered('A');
    settle();
    expect(r.count('A')).toBe(0);
    expect(held.releaseIf('A', true)).toBe(0);
    const other = r.take('A'); // a new request's slot is not touched
    expect(held.releaseIf('A', true)).toBe(0);
    expect(r.count('A')).toBe(1);
    other();
  });
});
