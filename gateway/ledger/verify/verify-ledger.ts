import type { Queryable, Store } from '../../store';
import { allCheckpoints } from '../checkpoint/stored-checkpoint';
import { bytesEqual, toBytes } from '../merkle/bytes';
import { hashLeaf } from '../merkle/hash';
import { readFrontier } from '../store/head';
import { checkCheckpointNote } from './checkpoint-checks';
import { entryBatches } from './entry-stream';
import type { LedgerReport, Problem } from './problem';
import { Replay } from './replay';

export interface VerifyLedgerOptions {
  /** Verifier key(s) of this ledger's checkpoint signer. */
  vkey: string | readonly string[];
  /** Entries read per query; memory holds at most two batches (one is prefetched). */
  batchSize?: number;
  onProgress?: (verified: number, size: number) => void;
}

interface Row {
  idx: number;
  data: Uint8Array;
  leaf_hash: Uint8Array;
}

/**
 * Recomputes the whole tree from the stored entry bytes, streaming in batches, and checks it
 * against the stored leaf hashes, complete-subtree hashes, head, and every signed checkpoint.
 * Reports the first tampered, missing or reordered entry, and every checkpoint problem.
 *
 * Given the Store, it reads one REPEATABLE READ snapshot, so appends made meanwhile by a live
 * gateway are simply not seen (rather than mistaken for rows beyond the head).
 */
export async function verifyLedger(
  q: Queryable | Store,
  opts: VerifyLedgerOptions,
): Promise<LedgerReport> {
  if ('tx' in q && typeof q.tx === 'function') {
    return q.tx(async (t) => {
      await t.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY');
      return verifyLedger(t, opts);
    });
  }
  const vkeys = typeof opts.vkey === 'string' ? [opts.vkey] : opts.vkey;
  const batchSize = opts.batchSize ?? 2000;
  const head = await readFrontier(q);
  const checkpoints = await allCheckpoints(q);
  const noteProblems = checkpoints
    .map((cp) => checkCheckpointNote(cp, vkeys))
    .filter((p): p is Problem => !!p);
  const replay = new Replay(checkpoints);
  let beyond: number | undefined;

  batches: for await (const { rows, nodes } of entryBatches(q, batchSize)) {
    for (const row of rows) {
      if (row.index >= Number(head.size)) {
        beyond = row.index;
        break batches;
      }
      if (!replay.feed(row, nodes)) break batches;
    }
    opts.onProgress?.(replay.size, Number(head.size));
  }
  if (!replay.entryProblem) replay.finish(head, beyond);
  if (replay.entryProblem?.kind === 'tampered')
    replay.entryProblem = await classifyMove(q, replay.entryProblem);

  const problems = [
    ...(replay.entryProblem ? [replay.entryProblem] : []),
    ...noteProblems,
    ...replay.problems,
  ];
  if (!replay.entryProblem) {
    for (const cp of replay.uncheckedCheckpoints()) {
      problems.push({
        index: cp.size,
        kind: 'checkpoint_mismatch',
        detail: `checkpoint size ${cp.size} exceeds the tree (${head.size})`,
      });
    }
  }
  problems.sort((a, b) => a.index - b.index);
  return {
    ok: problems.length === 0,
    size: Number(head.size),
    verifiedEntries: replay.size,
    checkpoints: checkpoints.length,
    problems,
  };
}

/**
 * A "tampered" entry whose bytes are another entry's (they hash to that entry's stored leaf
 * hash) was moved, not forged: report it as reordered. Runs only on the failure path, so an
 * unindexed lookup is fine.
 */
async function classifyMove(q: Queryable, p: Problem): Promise<Problem> {
  const {
    rows: [self],
  } = await q.query<Row>('SELECT idx, data, leaf_hash FROM ledger_entries WHERE idx = $1', [
    p.index,
  ]);
  if (!self) return p;
  const moved = hashLeaf(toBytes(self.data));
  if (bytesEqual(moved, toBytes(self.leaf_hash))) return p; // its own bytes: a subtree, not this row, is off
  const { rows } = await q.query<{ idx: number }>(
    'SELECT idx FROM ledger_entries WHERE leaf_hash = $1 AND idx <> $2 ORDER BY idx LIMIT 1',
    [moved, p.index],
  );
  const other = rows[0];
  return other
    ? {
        index: p.index,
        kind: 'reordered',
        detail: `entry ${p.index} holds the data of entry ${other.idx}`,
      }
    : p;
}
