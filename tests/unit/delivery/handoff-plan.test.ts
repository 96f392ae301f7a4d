import { claimRoom } from '../../../gateway/delivery/claim-room';
import {
  freeSlotWhenAnswered,
  HANDOFF_REQUESTS_PER_PEER,
  planHandoff,
} from '../../../gateway/delivery/handoff';
import { ReadyQueue } from '../../../gateway/delivery/ready-queue';
import { outboxJob as job } from './fixtures';

describe('planHandoff (which handed-off jobs leave now)', () => {
  const base = {
    free: 16,
    now: 10_000,
    maxWaitMs: 5_000,
    healthy: () => true,
    cap: 12,
    inFlight: () => 0,
    batchMax: 4,
    batches: () => true,
  };

  it('batches each peer’s jobs oldest first, one request in flight per peer', () => {
    const q = new ReadyQueue();
    q.push(
      Array.from({ length: 10 }, (_, i) => job(i + 1, 'A')),
      9_000,
    );
    const { launch, giveBack } = planHandoff(q, base);
    expect(HANDOFF_REQUESTS_PER_PEER.batches).toBe(1);
    expect(launch.map((g) => g.map((j) => j.id))).toEqual([[1, 2, 3, 4]]);
    expect(giveBack).toEqual([]);
    expect(q.size).toBe(6); // 5–10 wait for the next request
    // while it is out, nothing more leaves for A
    expect(planHandoff(q, { ...base, inFlight: () => 1 }).launch).toEqual([]);
  });

  it('counts requests already in flight, and the free workers', () => {
    const q = new ReadyQueue();
    q.push([job(1, 'A'), job(2, 'B'), job(3, 'C')], 9_000);
    const { launch } = planHandoff(q, {
      ...base,
      free: 1,
      inFlight: (p) => (p === 'A' ? 1 : 0),
    });
    expect(launch.map((g) => g.map((j) => j.id))).toEqual([[2]]);
    expect(q.size).toBe(2);
  });

  it('gives back jobs of a peer in trouble and jobs that waited too long', () => {
    const q = new ReadyQueue();
    q.push([job(1, 'A')], 1_000); // waited 9 s > 5 s
    q.push([job(2, 'B'), job(3, 'A')], 9_500);
    const { launch, giveBack } = planHandoff(q, { ...base, healthy: (p) => p !== 'B' });
    expect(giveBack.map((j) => j.id).sort()).toEqual([1, 2]);
    expect(launch.map((g) => g.map((j) => j.id))).toEqual([[3]]);
    expect(q.size).toBe(0);
  });

  it('two requests of one message each when batching is off (batchMax 1)', () => {
    const q = new ReadyQueue();
    q.push([job(1, 'A'), job(2, 'A'), job(3, 'A')], 9_000);
    const { launch } = planHandoff(q, { ...base, batchMax: 1 });
    expect(launch.map((g) => g.map((j) => j.id))).toEqual([[1], [2]]);
  });

  it('one message per request to a peer that takes no batches', () => {
    const q = new ReadyQueue();
    q.push([job(1, 'R'), job(2, 'R'), job(3, 'R')], 9_000);
    const { launch } = planHandoff(q, { ...base, batches: () => false });
    expect(launch.map((g) => g.map((j) => j.id))).toEqual([[1], [2]]);
  });
});

describe('claimRoom (how much the next claim may take per peer)', () => {
  it('gives healthy peers cap × batch, troubled peers one request, and names the full ones', () => {
    const r = claimRoom({
      peers: ['A', 'B', 'C', 'D'],
      troubled: new Set(['C', 'D']),
      cap: 3,
      inFlight: (p) => ({ A: 1, B: 3, C: 0, D: 1 })[p] ?? 0,
      batches: (p) => p === 'A', // B takes no batches; troubled peers never do
      batchMax: 8,
    });
    expect([...r.room]).toEqual([
      ['A', 16],
      ['B', 0],
      ['C', 1],
      ['D', 0],
    ]);
    expect(r.full).toEqual(['B', 'D']);
    expect(r.roomLimited).toEqual(['B']); // D is troubled: no claim just because it has room
  });
});

describe('freeSlotWhenAnswered (the next request leaves before this one is stored)', () => {
  it('when half a batch already waits for the peer, not with fewer', () => {
    expect(freeSlotWhenAnswered(16, 32)).toBe(true);
    expect(freeSlotWhenAnswered(15, 32)).toBe(false);
    expect(freeSlotWhenAnswered(0, 32)).toBe(false);
  });
  it('never for a single waiting job, whatever the batch size', () => {
    expect(freeSlotWhenAnswered(1, 2)).toBe(false);
    expect(freeSlotWhenAnswered(2, 2)).toBe(true);
    expect(freeSlotWhenAnswered(1, 1)).toBe(false);
  });
});
