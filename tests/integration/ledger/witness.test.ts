import { clearPeerAlarm, peerWitnessStatus, recordPeerCheckpoint } from '../../../gateway/ledger';
import type { Store } from '../../../gateway/store';
import { peerLog } from '../../unit/ledger/helpers/peer-log';
import { drivers } from './helpers/db';

describe.each(drivers())('recording peer checkpoints on $name', (driver) => {
  afterAll(() => driver.close());

  it('keeps the latest good checkpoint per peer and a sticky alarm on fork', async () => {
    const store: Store = await driver.fresh();
    const hz = peerLog('tongban.example/ledger/330100');
    const tj = peerLog('tongban.example/ledger/120000');
    hz.grow(10);
    tj.grow(4);
    const record = (p: typeof hz, peer: string, note: string, proof: Uint8Array[] = []) =>
      recordPeerCheckpoint(store, peer, { vkey: p.vkey, note, proof });

    expect((await record(hz, '330100', hz.note(5))).status).toBe('ok');
    expect((await record(tj, '120000', tj.note())).status).toBe('ok');
    expect((await record(hz, '330100', hz.note(10), hz.tree.consistency(5, 10))).status).toBe('ok');

    // Junk changes nothing.
    expect((await record(hz, '330100', tj.note())).status).toBe('bad_signature');
    let status = await peerWitnessStatus(store);
    expect(status.map((s) => [s.peer, s.status, s.size])).toEqual([
      ['120000', 'ok', 4],
      ['330100', 'ok', 10],
    ]);

    // A second root for size 10: alarm, evidence kept, last good head kept.
    const forked = hz.note(10, new Uint8Array(32).fill(1));
    expect((await record(hz, '330100', forked)).status).toBe('fork');
    status = await peerWitnessStatus(store);
    expect(status[0]).toMatchObject({
      peer: '330100',
      status: 'fork',
      size: 10,
      evidenceNote: forked,
      note: hz.note(10),
    });

    // Later good growth moves the reference on, but the alarm stays until cleared.
    hz.grow(2);
    expect((await record(hz, '330100', hz.note(12), hz.tree.consistency(10, 12))).status).toBe(
      'ok',
    );
    expect((await peerWitnessStatus(store))[0]).toMatchObject({
      peer: '330100',
      status: 'fork',
      size: 12,
    });
    expect((await record(hz, '330100', hz.note(3))).status).toBe('shrink');
    expect((await peerWitnessStatus(store))[0]).toMatchObject({ status: 'shrink', size: 12 });

    expect(await clearPeerAlarm(store, '330100', 'peer restored from backup, investigated')).toBe(
      true,
    );
    expect((await peerWitnessStatus(store)).every((s) => s.status === 'ok')).toBe(true);
  });
});
