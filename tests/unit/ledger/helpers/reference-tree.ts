import { createHash } from 'node:crypto';

/**
 * An in-memory Merkle tree written straight from the recursive definitions of RFC 9162 §2.1
 * (MTH, PATH, PROOF/SUBPROOF), sharing no code with gateway/ledger, so the DB-backed proofs
 * are checked against an independent reading of the RFC.
 */
const sha = (...parts: Uint8Array[]): Uint8Array => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
};

export const refLeafHash = (d: Uint8Array): Uint8Array => sha(Uint8Array.of(0), d);

const k = (n: number): number => 2 ** Math.ceil(Math.log2(n) - 1);

export class ReferenceTree {
  readonly leaves: Uint8Array[] = [];
  private readonly memo = new Map<string, Uint8Array>();

  append(data: Uint8Array): void {
    this.leaves.push(refLeafHash(data));
    this.memo.clear();
  }

  root(n = this.leaves.length): Uint8Array {
    return this.mth(0, n);
  }

  /** MTH(D[a:b]). */
  rangeRoot(a: number, b: number): Uint8Array {
    return this.mth(a, b);
  }

  inclusion(m: number, n: number): Uint8Array[] {
    return this.path(m, 0, n);
  }

  consistency(m: number, n: number): Uint8Array[] {
    return m === n ? [] : this.subproof(m, 0, n, true);
  }

  private mth(a: number, b: number): Uint8Array {
    const n = b - a;
    if (n === 0) return sha();
    if (n === 1) return this.leaves[a] as Uint8Array;
    const key = `${a}:${b}`;
    const hit = this.memo.get(key);
    if (hit) return hit;
    const s = k(n);
    const h = sha(Uint8Array.of(1), this.mth(a, a + s), this.mth(a + s, b));
    this.memo.set(key, h);
    return h;
  }

  private path(m: number, a: number, b: number): Uint8Array[] {
    const n = b - a;
    if (n === 1) return [];
    const s = k(n);
    return m < s
      ? [...this.path(m, a, a + s), this.mth(a + s, b)]
      : [...this.path(m - s, a + s, b), this.mth(a, a + s)];
  }

  private subproof(m: number, a: number, b: number, whole: boolean): Uint8Array[] {
    const n = b - a;
    if (m === n) return whole ? [] : [this.mth(a, b)];
    const s = k(n);
    return m <= s
      ? [...this.subproof(m, a, a + s, whole), this.mth(a + s, b)]
      : [...this.subproof(m - s, a + s, b, false), this.mth(a, a + s)];
  }
}
