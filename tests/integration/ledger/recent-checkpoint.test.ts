import { rememberCheckpoint, recentCheckpoint } from '../../../gateway/exchange/ledger-port';
import { appendEntries, publishCheckpoint } from '../../../gateway/ledger';
import { bytes, drivers, testSigner } from './helpers/db';

/**
 * Receipts carry the receiver's latest checkpoint, read at most every 250 ms: "none yet" must
 * not be kept (the first checkpoint would miss the next receipts), and this process's own
 * publications must show at once (the peer's witness sees them with the next receipt).
 */
describe('the checkpoint receipts carry', () => {
  const driver = drivers().find((d) => d.name === 'postgres')!;
  const { signer } = testSigner();
  afterAll(() => driver.close());

  it('is the first checkpoint as soon as there is one, not a remembered "none"', async () => {
    const store = await driver.fresh();
    expect(await recentCheckpoint(store, store)).toBeNull();
    await appendEntries(store, [{ data: bytes('one'), kind: 'envelope' }]);
    const { checkpoint } = await publishCheckpoint(store, signer);
    expect(await recentCheckpoint(store, store)).toBe(checkpoint.note);
  });

  it('is what this process just published, within the cache window', async () => {
    const store = await driver.fresh();
    const minute = 60_000; // a cache window no test run outlasts
    await appendEntries(store, [{ data: bytes('one'), kind: 'envelope' }]);
    const first = (await publishCheckpoint(store, signer)).checkpoint.note;
    expect(await recentCheckpoint(store, store, minute)).toBe(first);
    await appendEntries(store, [{ data: bytes('two'), kind: 'envelope' }]);
    const second = (await publishCheckpoint(store, signer)).checkpoint.note;
    expect(await recentCheckpoint(store, store, minute)).toBe(first); // still the cached one
    rememberCheckpoint(store, second);
    expect(await recentCheckpoint(store, store, minute)).toBe(second);
  });
});
