import { TongbanError } from '../../errors';
import { popCount } from '../merkle/bits';
import { toBytes } from '../merkle/bytes';
import type { Frontier } from '../merkle/frontier';
import { HASH_SIZE } from '../merkle/hash';
import type { Queryable } from '../../store';

interface HeadRow {
  size: number;
  frontier: Uint8Array;
}

/** Reads the tree head; `FOR UPDATE` when the caller is about to append (serialises writers). */
export async function readFrontier(q: Queryable, opts: { lock?: boolean } = {}): Promise<Frontier> {
  const sql = `SELECT size, frontier FROM ledger_head WHERE id = 1${opts.lock ? ' FOR UPDATE' : ''}`;
  const row = (await q.query<HeadRow>(sql)).rows[0];
  if (!row) throw new TongbanError('ledger_inconsistent', 'ledger_head row is missing');
  return decodeFrontier(row.size, toBytes(row.frontier));
}

/** Splits the stored frontier; its length must match one hash per set bit of the size. */
export function decodeFrontier(size: number, bytes: Uint8Array): Frontier {
  const n = BigInt(size);
  if (bytes.length !== popCount(n) * HASH_SIZE) {
    throw new TongbanError(
      'ledger_inconsistent',
      `ledger_head frontier has ${bytes.length} bytes for size ${size}`,
    );
  }
  const hashes: Uint8Array[] = [];
  for (let at = 0; at < bytes.length; at += HASH_SIZE) hashes.push(bytes.slice(at, at + HASH_SIZE));
  return { size: n, hashes };
}

export function encodeFrontier(f: Frontier): Uint8Array {
  const out = new Uint8Array(f.hashes.length * HASH_SIZE);
  f.hashes.forEach((h, i) => out.set(h, i * HASH_SIZE));
  return out;
}
