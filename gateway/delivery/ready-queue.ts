import type { OutboxJob } from './claim';

/**
 * The delivery worker's handed-off jobs (rows written already claimed by it at queue time),
 * waiting for a free slot: per peer, oldest first, each with the time it was handed over.
 */
export class ReadyQueue {
  private readonly peers = new Map<string, { job: OutboxJob; since: number }[]>();
  private count = 0;

  get size(): number {
    return this.count;
  }

  push(jobs: readonly OutboxJob[], since: number): void {
    for (const job of jobs) {
      let list = this.peers.get(job.peer);
      if (!list) this.peers.set(job.peer, (list = []));
      list.push({ job, since });
      this.count++;
    }
  }

  has(peer: string): boolean {
    return this.peers.has(peer);
  }

  /** How many jobs wait for this peer. */
  countOf(peer: string): number {
    return this.peers.get(peer)?.length ?? 0;
  }

  /** Each peer's waiting jobs, oldest first. */
  *byPeer(): Generator<[string, OutboxJob[]]> {
    for (const [peer, list] of [...this.peers]) yield [peer, list.map((e) => e.job)];
  }

  /** Take these jobs out (they are being sent). */
  remove(jobs: readonly OutboxJob[]): void {
    const gone = new Set(jobs);
    this.filter((e) => !gone.has(e.job));
  }

  /** Take out and return the jobs for which `pred` holds. */
  takeWhere(pred: (job: OutboxJob, since: number) => boolean): OutboxJob[] {
    const out: OutboxJob[] = [];
    this.filter((e) => {
      if (!pred(e.job, e.since)) return true;
      out.push(e.job);
      return false;
    });
    return out;
  }

  /** Everything, emptying the queue. */
  drain(): OutboxJob[] {
    return this.takeWhere(() => true);
  }

  private filter(keep: (e: { job: OutboxJob; since: number }) => boolean): void {
    for (const [peer, list] of this.peers) {
      const kept = list.filter(keep);
      this.count -= list.length - kept.length;
      if (kept.length === 0) this.peers.delete(peer);
      else this.peers.set(peer, kept);
    }
  }
}
