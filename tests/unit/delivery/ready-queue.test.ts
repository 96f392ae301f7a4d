import { ReadyQueue } from '../../../gateway/delivery/ready-queue';
import { outboxJob as job } from './fixtures';

describe('ReadyQueue (handed-off jobs waiting for a slot)', () => {
  it('keeps each peer’s jobs oldest first and counts them', () => {
    const q = new ReadyQueue();
    q.push([job(1, 'A'), job(2, 'B'), job(3, 'A')], 100);
    q.push([job(4, 'A')], 200);
    expect(q.size).toBe(4);
    expect(q.has('A')).toBe(true);
    expect(q.has('C')).toBe(false);
    expect([q.countOf('A'), q.countOf('B'), q.countOf('C')]).toEqual([3, 1, 0]);
    expect([...q.byPeer()].map(([p, js]) => [p, js.map((j) => j.id)])).toEqual([
      ['A', [1, 3, 4]],
      ['B', [2]],
    ]);
  });

  it('removes what is sent and forgets a peer with nothing left', () => {
    const q = new ReadyQueue();
    const jobs = [job(1, 'A'), job(2, 'B'), job(3, 'A')];
    q.push(jobs, 0);
    q.remove([jobs[0]!, jobs[1]!]);
    expect(q.size).toBe(1);
    expect(q.has('B')).toBe(false);
    expect(q.countOf('A')).toBe(1);
    expect([...q.byPeer()].map(([, js]) => js.map((j) => j.id))).toEqual([[3]]);
  });

  it('takes out by age or peer (to give back), and drains', () => {
    const q = new ReadyQueue();
    q.push([job(1, 'A'), job(2, 'B')], 100);
    q.push([job(3, 'A')], 900);
    const old = q.takeWhere((_j, since) => since < 500);
    expect(old.map((j) => j.id)).toEqual([1, 2]);
    expect(q.size).toBe(1);
    expect(q.drain().map((j) => j.id)).toEqual([3]);
    expect(q.size).toBe(0);
    expect([...q.byPeer()]).toEqual([]);
  });
});
