import { appendEntries, publishCheckpoint, verifyLedger } from '../../../gateway/ledger';
import { allCheckpoints } from '../../../gateway/ledger/checkpoint/stored-checkpoint';
import { bytes, drivers, testSigner } from './helpers/db';

/**
 * Publishing a checkpoint takes no head lock (ledger/checkpoint/publish.ts): appends go on while
 * it signs, and replicas publishing at once keep one consistent row per size.
 */
describe('checkpoint publishers on PostgreSQL', () => {
  const driver = drivers().find((d) => d.name === 'postgres')!;
  const { signer, vkey } = testSigner();
  afterAll(() => driver.close());

  it('publishes while another transaction holds the head lock (appends are not held up by it)', async () => {
    const a = await driver.fresh();
    await appendEntries(a, [{ data: bytes('one'), kind: 'envelope' }]);
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let locked!: () => void;
    const isLocked = new Promise<void>((r) => (locked = r));
    const holder = a.tx(async (q) => {
      await q.query('SELECT size FROM ledger_head WHERE id = 1 FOR UPDATE');
      locked();
      await held;
    });
    await isLocked;
    let timer: NodeJS.Timeout | undefined;
    const published = await Promise.race([
      publishCheckpoint(a, signer).then((r) => r.checkpoint.size),
      new Promise<string>((r) => (timer = setTimeout(() => r('blocked on the head lock'), 3_000))),
    ]);
    clearTimeout(timer);
    release();
    await holder;
    expect(published).toBe(1);
  });

  it('two replicas publishing while both append: one row per size, all consistent', async () => {
    const a = await driver.fresh();
    const b = await driver.another(a);
    let createdTwice = 0;
    for (let round = 0; round < 15; round++) {
      await Promise.all([
        appendEntries(a, [{ data: bytes(`a ${round}`), kind: 'envelope' }]),
        appendEntries(b, [{ data: bytes(`b ${round}`), kind: 'envelope' }]),
      ]);
      const [ra, rb] = await Promise.all([
        publishCheckpoint(a, signer),
        publishCheckpoint(b, signer),
      ]);
      if (ra.checkpoint.size === rb.checkpoint.size) {
        expect(ra.checkpoint.note).toBe(rb.checkpoint.note); // the stored row, not a second one
        if (ra.created && rb.created) createdTwice++;
      }
    }
    expect(createdTwice).toBe(0);
    const cps = await allCheckpoints(a);
    expect(new Set(cps.map((c) => c.size)).size).toBe(cps.length);
    const report = await verifyLedger(a, { vkey, batchSize: 8 });
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.checkpoints).toBe(cps.length);
  });
});
