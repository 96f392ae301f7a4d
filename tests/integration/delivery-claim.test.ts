import { claimJobs, releaseJobs } from '../../gateway/delivery/claim';
import { queueMessages } from '../../gateway/exchange/outbound';
import { HANGZHOU, HARBIN, KUNMING } from '../chaos/fixtures';
import { startFederation, type TestFederation } from '../support/federation';

/**
 * The claim is one statement that respects each peer's room, takes the exact bytes to send
 * with it, and what a worker cannot send goes back untouched (releaseJobs, fenced by attempts).
 * No delivery worker runs here: the test is the only claimer.
 */
describe('outbox claim and release (PostgreSQL)', () => {
  let fed: TestFederation;
  const gw = () => fed.gw[HARBIN]!.gw;
  const rows = async () =>
    (
      await gw().store.query<{
        message_id: string;
        status: string;
        attempts: number;
        claimed_by: string | null;
      }>('SELECT message_id, status, attempts, claimed_by FROM outbox ORDER BY id')
    ).rows;

  beforeAll(async () => {
    fed = await startFederation([HARBIN], { workers: false });
  });
  afterAll(() => fed.close());

  it('claims per peer room with the bytes of each message, and gives back what it cannot send', async () => {
    const body = (i: number) => ({ delegationId: `d-claim-${i}`, note: `message ${i}` });
    const envs = await gw().store.tx((q) =>
      queueMessages(gw(), q, [
        ...[1, 2, 3, 4].map((i) => ({ type: 'callback' as const, to: HANGZHOU, body: body(i) })),
        ...[5, 6].map((i) => ({ type: 'callback' as const, to: KUNMING, body: body(i) })),
      ]),
    );
    const jobs = await claimJobs(gw().store, {
      limit: 10,
      leaseMs: 60_000,
      worker: 'w1',
      skipPeers: [],
      perPeerRoom: new Map([[HANGZHOU, 3]]),
      perPeerDefault: 1,
    });
    // three for Hangzhou (its room), one for Kunming (the default), oldest first
    expect(jobs.map((j) => j.message_id)).toEqual([
      envs[0]!.id,
      envs[1]!.id,
      envs[2]!.id,
      envs[4]!.id,
    ]);
    for (const j of jobs) {
      expect(j.attempts).toBe(1);
      // the bytes are the ledger's: the signed message whose id the row names
      const ledger = (
        await gw().store.query<{ data: Uint8Array }>(
          `SELECT e.data FROM messages m JOIN ledger_entries e ON e.idx = m.ledger_index
            WHERE m.id = $1 AND m.direction = 'out'`,
          [j.message_id],
        )
      ).rows[0]!;
      expect(Buffer.from(j.message!.data).equals(Buffer.from(ledger.data))).toBe(true);
    }
    // a second claimer gets only what is left within the rooms
    const more = await claimJobs(gw().store, {
      limit: 10,
      leaseMs: 60_000,
      worker: 'w2',
      skipPeers: [KUNMING],
    });
    expect(more.map((j) => j.message_id)).toEqual([envs[3]!.id]);

    // w1 gives two back: pending again at once, their attempt not counted
    await releaseJobs(gw().store, [jobs[1]!, jobs[3]!], 'w1');
    const after = new Map((await rows()).map((r) => [r.message_id, r]));
    expect(after.get(envs[1]!.id)).toMatchObject({
      status: 'pending',
      attempts: 0,
      claimed_by: null,
    });
    expect(after.get(envs[4]!.id)).toMatchObject({
      status: 'pending',
      attempts: 0,
      claimed_by: null,
    });
    expect(after.get(envs[0]!.id)).toMatchObject({
      status: 'in_flight',
      attempts: 1,
      claimed_by: 'w1',
    });
    // a stale release (the row was claimed again since, with the same attempt number) changes nothing
    const again = await claimJobs(gw().store, {
      limit: 10,
      leaseMs: 60_000,
      worker: 'w3',
      skipPeers: [],
    });
    // the two given back, and Kunming's second, which nobody had room for
    expect(again.map((j) => j.message_id).sort()).toEqual(
      [envs[1]!.id, envs[4]!.id, envs[5]!.id].sort(),
    );
    await releaseJobs(gw().store, [jobs[1]!], 'w1');
    expect((await rows()).find((r) => r.message_id === envs[1]!.id)).toMatchObject({
      status: 'in_flight',
      attempts: 1,
      claimed_by: 'w3',
    });
  });
});
