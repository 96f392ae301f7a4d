/**
 * The ledger bench's same-run floor (bench/README.md): the same entries the ledger bench appends,
 * through a bare table, so that each ledger figure can be read against what this machine did
 * at the same minutes.
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { hashLeaf } from '../gateway/ledger';
import type { Queryable, Store } from '../gateway/store';

export const ENTRY_BYTES = 512;

/** Envelope-sized, distinct entries (a JSON prefix naming the index, random filler). */
export function entryData(i: number): Uint8Array {
  const head = Buffer.from(`{"bench":${i},"payload":"`);
  const tail = Buffer.from('"}');
  const fill = randomBytes(
    Math.floor(((ENTRY_BYTES - head.length - tail.length) * 3) / 4),
  ).toString('base64');
  return new Uint8Array(Buffer.concat([head, Buffer.from(fill), tail]));
}

/** A rate beside its same-run floor. */
export interface Floored {
  entriesPerSecond: number;
  floorEntriesPerSecond: number;
  ratio: number;
}

export const floored = (rate: number, floorRate: number): Floored => ({
  entriesPerSecond: Math.round(rate),
  floorEntriesPerSecond: Math.round(floorRate),
  ratio: Math.round((rate / floorRate) * 1000) / 1000,
});

/** `ratio 0.41 of the bare table's 100000/s` */
export const vsFloor = (f: Floored): string =>
  `ratio ${f.ratio} of the bare table's ${f.floorEntriesPerSecond}/s`;

/** Entries and the milliseconds they took, summed over the timed calls. */
class Meter {
  private ms = 0;
  private entries = 0;

  async time(fn: () => Promise<number>): Promise<void> {
    const t = performance.now();
    this.entries += await fn();
    this.ms += performance.now() - t;
  }

  rate = (): number => this.entries / (this.ms / 1000);
}

/**
 * A bare table (`bench_floor`: an index and the bytes, no hashes, no head, no trigger) written
 * as the ledger is written (one statement per batch, the bytes as one binary parameter cut apart
 * by offset) and read as verifyLedger reads (batches of 2,000, hex-encoded, SHA-256 per entry).
 * What the ledger costs beyond storing and reading its bytes is what the ratios show; what the
 * machine costs, both sides pay alike (two runs of the raw rates once differed by a third, their
 * CPU seconds for the same verify by a quarter).
 */
export class BareFloor {
  private rows = 0;
  private readonly loads = new Meter();
  private readonly singles = new Meter();
  private readonly reads = new Meter();

  private constructor(
    private readonly store: Store,
    private readonly batchSize: number,
  ) {}

  static async create(store: Store, batchSize: number): Promise<BareFloor> {
    await store.query('CREATE TABLE bench_floor (idx bigint PRIMARY KEY, data bytea NOT NULL)');
    return new BareFloor(store, batchSize);
  }

  /** `n` entries in batches of the ledger's size, one transaction each. */
  async load(n: number): Promise<void> {
    for (let done = 0; done < n;) {
      const k = Math.min(this.batchSize, n - done);
      await this.loads.time(() => this.store.tx((q) => this.insert(q, k)));
      done += k;
    }
  }

  /** One entry in its own transaction. */
  single(): Promise<void> {
    return this.singles.time(() => this.store.tx((q) => this.insert(q, 1)));
  }

  /** Read every entry back in order and hash it, as verifyLedger reads the ledger. */
  readAndHash(): Promise<void> {
    return this.reads.time(async () => {
      let n = 0;
      for (let from = 0; ;) {
        const { rows } = await this.store.query<{ idx: string; data: string }>(
          `SELECT idx, encode(data, 'hex') AS data FROM bench_floor WHERE idx >= $1 ORDER BY idx LIMIT 2000`,
          [from],
        );
        if (rows.length === 0) return n;
        for (const r of rows) hashLeaf(Buffer.from(r.data, 'hex'));
        n += rows.length;
        from = Number(rows.at(-1)!.idx) + 1;
      }
    });
  }

  loadRate = (): number => this.loads.rate();
  singleRate = (): number => this.singles.rate();
  readRate = (): number => this.reads.rate();

  /** Writes `k` entries; returns `k`. */
  private async insert(q: Queryable, k: number): Promise<number> {
    const data = Array.from({ length: k }, (_, i) => entryData(this.rows + i));
    const offsets: number[] = [];
    let at = 1;
    for (const d of data) {
      offsets.push(at);
      at += d.length;
    }
    await q.query(
      `INSERT INTO bench_floor (idx, data)
       SELECT i, substring($2::bytea FROM o FOR len) FROM unnest($1::int8[], $3::int4[], $4::int4[]) AS t(i, o, len)`,
      [data.map((_, i) => this.rows + i), Buffer.concat(data), offsets, data.map((d) => d.length)],
    );
    this.rows += k;
    return k;
  }
}
