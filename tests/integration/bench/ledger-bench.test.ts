import { runLedgerBench } from '../../../bench/ledger';
import { TEST_DATABASE_URL } from '../../support/db';

/**
 * The ledger bench's plumbing at a small size (speed itself is measured by `npm run bench`, never
 * asserted here): every figure present, each ratio its rate over the same-run bare-table floor.
 */
describe('the ledger bench', () => {
  it('reports each rate beside its same-run floor, on PostgreSQL', async () => {
    const lines: string[] = [];
    const r = await runLedgerBench({
      entries: 3000,
      batchSize: 500,
      samples: 20,
      databaseUrl: TEST_DATABASE_URL,
      writeResults: false,
      log: (l) => lines.push(l),
    });
    expect(r.driver).toBe('pg');
    expect(r.entries).toBe(3200); // the load, then 200 single appends
    expect(r.verify.ok).toBe(true);
    for (const f of [r.load, r.singleAppend, r.verify]) {
      expect(f.entriesPerSecond).toBeGreaterThan(0);
      expect(f.floorEntriesPerSecond).toBeGreaterThan(0);
      expect(f.ratio).toBeCloseTo(f.entriesPerSecond / f.floorEntriesPerSecond, 2);
    }
    expect(r.publishCheckpoint.samples).toBe(6); // every 500 entries, and at the end
    expect(lines.some((l) => l.includes('verifying the whole ledger'))).toBe(true);
  }, 60_000);
});
