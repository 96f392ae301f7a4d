export type ProblemKind =
  'tampered' | 'missing' | 'reordered' | 'checkpoint_mismatch' | 'bad_checkpoint_signature';

/**
 * One finding of verifyLedger. `index` is an entry index for entry problems, and the tree size
 * of the checkpoint for checkpoint problems.
 */
export interface Problem {
  index: number;
  kind: ProblemKind;
  detail: string;
}

export interface LedgerReport {
  ok: boolean;
  /** Tree size recorded in the head. */
  size: number;
  /** Entries re-hashed and checked before the first entry problem (or all of them). */
  verifiedEntries: number;
  /** Stored checkpoints examined. */
  checkpoints: number;
  problems: Problem[];
}
