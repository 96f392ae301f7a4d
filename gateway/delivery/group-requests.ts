import type { OutboxJob } from './claim';

export interface GroupOptions {
  /** Requests that may start now (free workers). */
  slots: number;
  /** Most messages in one request. */
  batchMax: number;
  /** Whether messages to this peer may share a request (POST /exchange/v1/batch). */
  batches: (peer: string) => boolean;
}

/**
 * Pure: claimed jobs (oldest first) as requests. Jobs to a peer that takes batches fill one
 * request up to `batchMax` before the next is started; any other job is a request of its own.
 * At most `slots` requests; the jobs beyond them are `unused` (to be given back). Because the
 * claim gave each peer at most `its free requests × batchMax` jobs (or `× 1`), no peer gets
 * more requests than its in-flight cap allows.
 */
export function groupRequests(
  jobs: readonly OutboxJob[],
  o: GroupOptions,
): { groups: OutboxJob[][]; unused: OutboxJob[] } {
  const groups: OutboxJob[][] = [];
  const open = new Map<string, OutboxJob[]>();
  const unused: OutboxJob[] = [];
  for (const job of jobs) {
    const cur = open.get(job.peer);
    if (cur && cur.length < o.batchMax && o.batches(job.peer)) {
      cur.push(job);
    } else if (groups.length < o.slots) {
      const g = [job];
      groups.push(g);
      open.set(job.peer, g);
    } else unused.push(job);
  }
  return { groups, unused };
}
