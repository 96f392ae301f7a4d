import { PeerRequests } from '../../../gateway/delivery/peer-requests';

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
