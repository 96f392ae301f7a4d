import type { Store } from '../../store';
import { publishCheckpoint, type CheckpointSigner, type PublishResult } from './publish';
import { latestCheckpoint } from './stored-checkpoint';

export interface CheckpointerOptions {
  store: Store;
  signer: CheckpointSigner;
  /** Publish once this many entries are unsigned. */
  everyEntries: number;
  /** Publish when entries have waited this long unsigned. */
  everyMs: number;
  /** How often to look at the head; defaults to min(everyMs, 1000). */
  pollMs?: number;
  onPublish?: (r: PublishResult) => void;
  /** Background failures land here (a publish refusal is an alarm, not a crash). */
  onError?: (e: unknown) => void;
}

export interface Checkpointer {
  /** Publish now, whatever the thresholds; resolves with the (possibly unchanged) checkpoint. */
  kick(): Promise<PublishResult>;
  /** Stop polling and wait for a publish in flight. */
  stop(): Promise<void>;
}

/**
 * Publishes checkpoints when `everyEntries` new entries accumulate or `everyMs` passes with
 * unsigned entries, and on demand. Runs are chained, never concurrent, within this process;
 * across replicas one row per size is kept (publish.ts: no head lock, same root per size).
 */
export function startCheckpointer(opts: CheckpointerOptions): Checkpointer {
  const pollMs = opts.pollMs ?? Math.min(opts.everyMs, 1000);
  let chain: Promise<unknown> = Promise.resolve();
  let signedSize: number | undefined;
  let signedAt = Date.now();
  let stopped = false;
  let ticking = false; // a slow database must not pile up ticks

  const publish = async (): Promise<PublishResult> => {
    const r = await publishCheckpoint(opts.store, opts.signer);
    signedSize = r.checkpoint.size;
    signedAt = Date.now();
    if (r.created) opts.onPublish?.(r);
    return r;
  };

  const tick = async (): Promise<void> => {
    signedSize ??= (await latestCheckpoint(opts.store))?.size ?? 0;
    const { rows } = await opts.store.query<{ size: number }>(
      'SELECT size FROM ledger_head WHERE id = 1',
    );
    const unsigned = (rows[0]?.size ?? 0) - signedSize;
    if (unsigned >= opts.everyEntries || (unsigned > 0 && Date.now() - signedAt >= opts.everyMs))
      await publish();
  };

  const enqueue = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = chain.then(fn);
    chain = run.catch(() => undefined);
    return run;
  };

  const timer = setInterval(() => {
    if (stopped || ticking) return;
    ticking = true;
    enqueue(tick)
      .catch((e: unknown) => opts.onError?.(e))
      .finally(() => (ticking = false));
  }, pollMs);
  timer.unref();

  return {
    kick: () => enqueue(publish),
    async stop() {
      stopped = true;
      clearInterval(timer);
      await chain;
    },
  };
}
