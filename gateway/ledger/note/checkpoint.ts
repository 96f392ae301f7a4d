/** A transparency log checkpoint: the note text of c2sp.org/tlog-checkpoint. */
export interface Checkpoint {
  /** Log identity; by convention equal to the signing key's name. */
  origin: string;
  /** Number of leaves. */
  size: number;
  /** RFC 6962 root hash of the first `size` leaves. */
  root: Uint8Array;
  /** Opaque extension lines (NOT RECOMMENDED by the spec; kept so parsing is lossless). */
  extensions: string[];
}
