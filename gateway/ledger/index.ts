/**
 * The signed message ledger: an RFC 6962 / RFC 9162 Merkle tree over the exact bytes of every
 * envelope and receipt, with C2SP signed-note checkpoints. See docs/ledger.md.
 */

// Tree hashing and pure proof verification (RFC 9162 §2.1).
export { hashLeaf, hashChildren, emptyRoot, HASH_SIZE } from './merkle/hash';
export { verifyInclusion, type InclusionInput } from './merkle/verify-inclusion';
export { verifyConsistency, type ConsistencyInput } from './merkle/verify-consistency';

// Signed notes and checkpoints (c2sp.org/signed-note, c2sp.org/tlog-checkpoint).
export { signNote, type NoteSigner } from './note/sign-note';
export { verifyNote, type VerifiedNote } from './note/verify-note';
export { parseNote, type ParsedNote, type NoteSignature } from './note/parse-note';
export { vkeyOf, parseVkey, type NoteVerifier } from './note/vkey';
export { formatCheckpoint } from './note/format-checkpoint';
export { parseCheckpoint } from './note/parse-checkpoint';
export { openCheckpoint } from './note/open-checkpoint';
export type { Checkpoint } from './note/checkpoint';

// Writes (inside the caller's transaction) and reads.
export {
  appendEntry,
  appendEntries,
  appendEntriesWith,
  stageEntries,
  flushStaged,
  ledgerAppendRetries,
  type EntryMeta,
  type EntryInput,
  type AppendedEntry,
} from './store/append';
export {
  HEAD_WRITTEN,
  type Attach,
  type Attached,
  type AttachedInsert,
  type AttachedUpdate,
} from './store/attach';
export { treeHead, type TreeHead } from './store/tree-head';
export { rootAt } from './store/root-at';
export { entries, MAX_ENTRIES_PER_READ, type LedgerEntry } from './store/entries';
export { inclusionProof, type InclusionProof } from './store/inclusion-proof';
export { consistencyProof, type ConsistencyProof } from './store/consistency-proof';

// Checkpoints of this gateway's own ledger.
export { latestCheckpoint, type StoredCheckpoint } from './checkpoint/stored-checkpoint';
export { publishCheckpoint, type CheckpointSigner, type PublishResult } from './checkpoint/publish';
export {
  startCheckpointer,
  type Checkpointer,
  type CheckpointerOptions,
} from './checkpoint/checkpointer';

// Witnessing peers' ledgers.
export {
  witnessPeerCheckpoint,
  type WitnessInput,
  type WitnessResult,
  type WitnessStatus,
  type PeerHead,
} from './witness/witness-checkpoint';
export { recordPeerCheckpoint } from './witness/record';
export { peerWitnessStatus, type PeerWitnessState } from './witness/status';
export { clearPeerAlarm } from './witness/clear-alarm';

// Whole-ledger audit (the `tongban ledger verify` command).
export { verifyLedger, type VerifyLedgerOptions } from './verify/verify-ledger';
export type { LedgerReport, Problem, ProblemKind } from './verify/problem';

// HTTP (mounted at /ledger/v1).
export { ledgerRouter } from './http/router';
