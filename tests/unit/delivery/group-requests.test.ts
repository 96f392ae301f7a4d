import { groupRequests } from '../../../gateway/delivery/group-requests';
import { outboxJob as job, ids } from './fixtures';

describe('groupRequests', () => {
  const batchesTo =
    (...peers: string[]) =>
    (p: string) =>
      peers.includes(p);

  it('fills one request per batching peer up to batchMax, in claim order', () => {
    const jobs = [1, 2, 3, 4, 5].map((i) => job(i, 'A'));
    const r = groupRequests(jobs, { slots: 4, batchMax: 2, batches: batchesTo('A') });
    expect(ids(r.groups)).toEqual([[1, 2], [3, 4], [5]]);
    expect(r.unused).toEqual([]);
  });

  it('keeps peers apart and gives a peer that does not batch one request per message', () => {
    const jobs = [job(1, 'A'), job(2, 'R'), job(3, 'A'), job(4, 'R')];
    const r = groupRequests(jobs, { slots: 8, batchMax: 32, batches: batchesTo('A') });
    expect(ids(r.groups)).toEqual([[1, 3], [2], [4]]);
  });

  it('starts no more requests than slots; the jobs left over are unused', () => {
    const jobs = [job(1, 'A'), job(2, 'B'), job(3, 'C'), job(4, 'A'), job(5, 'C')];
    const r = groupRequests(jobs, { slots: 2, batchMax: 32, batches: batchesTo('A', 'B', 'C') });
    // A and B get the two requests (A takes its second job too); C waits
    expect(ids(r.groups)).toEqual([[1, 4], [2]]);
    expect(r.unused.map((j) => j.id)).toEqual([3, 5]);
  });

  it('with batchMax 1 every message is its own request', () => {
    const jobs = [1, 2, 3].map((i) => job(i, 'A'));
    const r = groupRequests(jobs, { slots: 2, batchMax: 1, batches: batchesTo('A') });
    expect(ids(r.groups)).toEqual([[1], [2]]);
    expect(r.unused.map((j) => j.id)).toEqual([3]);
  });
});
