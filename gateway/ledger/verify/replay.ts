import { bytesEqual } from '../merkle/bytes';
import { appendLeaf, EMPTY_FRONTIER, frontierRoot, type Frontier } from '../merkle/frontier';
import { hashLeaf } from '../merkle/hash';
import type { StoredCheckpoint } from '../checkpoint/stored-checkpoint';
import { checkCheckpointRoot } from './checkpoint-checks';
import { checkLeaf, checkNodes, checkSequence, type EntryRow } from './entry-checks';
import type { Problem } from './problem';

/**
 * Pure replay of the log: feed entries in index order; it rebuilds the tree with the same
 * frontier the appender keeps and runs the checks. No I/O, so every check is testable alone.
 */
export class Replay {
  private frontier: Frontier = EMPTY_FRONTIER;
  private nextCheckpoint = 0;
  readonly problems: Problem[] = [];
  /** The first entry-level problem stops the replay: everything after it would cascade. */
  entryProblem: Problem | undefined;

  constructor(private readonly checkpoints: readonly StoredCheckpoint[]) {
    this.passCheckpoints();
  }

  get size(): number {
    return Number(this.frontier.size);
  }

  /** Feeds one entry with the stored subtree hashes it may complete; false once stopped. */
  feed(row: EntryRow, storedNodes: ReadonlyMap<string, Uint8Array>): boolean {
    if (this.entryProblem) return false;
    const recomputed = hashLeaf(row.data);
    const step = appendLeaf(this.frontier, recomputed);
    const p =
      checkSequence(this.size, row) ??
      checkLeaf(row, recomputed) ??
      checkNodes(step.completed, storedNodes);
    if (p) {
      this.entryProblem = p;
      return false;
    }
    this.frontier = step.frontier;
    this.passCheckpoints();
    return true;
  }

  /**
   * After the last entry: the head must describe exactly the replayed tree. `beyond` is the
   * first stored entry index at or past the head's size, if any.
   */
  finish(head: Frontier, beyond?: number): void {
    if (this.entryProblem) return;
    if (head.size > this.frontier.size) {
      this.entryProblem = {
        index: this.size,
        kind: 'missing',
        detail: `the head records ${head.size} entries, ${this.size} are stored`,
      };
    } else if (beyond !== undefined) {
      this.entryProblem = {
        index: beyond,
        kind: 'tampered',
        detail: `entry ${beyond} is stored beyond the tree head (size ${head.size})`,
      };
    } else {
      const at = firstDifference(head, this.frontier);
      if (at !== undefined)
        this.entryProblem = {
          index: at,
          kind: 'tampered',
          detail: 'ledger_head frontier differs from the replayed tree',
        };
    }
  }

  /** Checkpoints beyond the replayed tree could not be checked. */
  uncheckedCheckpoints(): StoredCheckpoint[] {
    return this.checkpoints.slice(this.nextCheckpoint);
  }

  private passCheckpoints(): void {
    for (
      let cp = this.checkpoints[this.nextCheckpoint];
      cp && cp.size <= this.size;
      cp = this.checkpoints[++this.nextCheckpoint]
    ) {
      const p = checkCheckpointRoot(cp, frontierRoot(this.frontier));
      if (p) this.problems.push(p);
    }
  }
}

/** First leaf of the first frontier subtree that differs (same size assumed), if any. */
function firstDifference(a: Frontier, b: Frontier): number | undefined {
  let start = 0n;
  let width = 1n << BigInt(a.size.toString(2).length);
  for (let i = 0; i < Math.max(a.hashes.length, b.hashes.length); i++) {
    while (width > 0n && (a.size & width) === 0n) width >>= 1n;
    const x = a.hashes[i];
    const y = b.hashes[i];
    if (!x || !y || !bytesEqual(x, y)) return Number(start);
    start += width;
    width >>= 1n;
  }
  return undefined;
}
