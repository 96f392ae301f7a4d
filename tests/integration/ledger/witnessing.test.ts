import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { formatCheckpoint, signNote } from '../../../gateway/ledger';
import { readPrivateKeyFile } from '../../../gateway/signing';
import { tongban } from '../../support/cli';
import { TEST_DATABASE_URL } from '../../support/db';
import { caseBody, penaltyRecord } from '../../support/fixtures';
import { api } from '../../support/http';
import { eventually, startFederation, type TestFederation } from '../../support/federation';

const HARBIN = '230100';
const HANGZHOU = '330100';

/** Each gateway witnesses its peers' checkpoints from receipts and callbacks. */
describe('cross-city witnessing', () => {
  let fed: TestFederation;
  beforeAll(async () => {
    fed = await startFederation([HARBIN, HANGZHOU], {
      now: () => new Date('2026-11-20T02:00:00Z'),
      checkpointEveryEntries: 1,
    });
  });
  afterAll(() => fed.close());

  const peerRow = async () =>
    (
      await fed.gw[HARBIN]!.gw.store.query<{ size: number; status: string }>(
        'SELECT size, status FROM peer_checkpoints WHERE peer = $1',
        [HANGZHOU],
      )
    ).rows[0];

  it('verifies the peer checkpoints it receives and sees the peer ledger grow consistently', async () => {
    const token = await fed.token(HARBIN);
    const htoken = await fed.token(HANGZHOU);
    const body = caseBody([penaltyRecord(HANGZHOU, '杭交执罚〔2026〕第77号')]);
    const c = (await api(fed.gw[HARBIN]!.url, 'POST', '/api/v1/cases', { token, json: body })).body;
    const d = c.delegations[0].id;
    await eventually(
      async () =>
        (await api(fed.gw[HANGZHOU]!.url, 'GET', `/api/v1/inbox/${d}`, { token: htoken })).body
          .status === 'delivered',
      'delivered',
    );
    for (const action of ['accept', 'start_review', 'approve']) {
      await api(fed.gw[HANGZHOU]!.url, 'POST', `/api/v1/inbox/${d}/decision`, {
        token: htoken,
        json: { action },
      });
    }
    // Once Hangzhou has signed a bigger checkpoint, its next callback carries it: Harbin must
    // fetch a consistency proof from the size it holds and accept the growth.
    const size = async () => {
      const note = (await api(fed.gw[HANGZHOU]!.url, 'GET', '/ledger/v1/checkpoint')).text;
      return Number(note.split('\n')[1]);
    };
    await eventually(async () => (await size()) >= 6, 'Hangzhou checkpoint of size 6');
    await api(fed.gw[HANGZHOU]!.url, 'POST', `/api/v1/inbox/${d}/decision`, {
      token: htoken,
      json: { action: 'mark_repaired' },
    });
    const row = await eventually(async () => {
      const r = await peerRow();
      return r && r.size >= 6 ? r : undefined;
    }, 'witnessed growth');
    expect(row.status).toBe('ok');
    const auditor = await fed.token(HARBIN, 'auditor');
    const fedStatus = (
      await api(fed.gw[HARBIN]!.url, 'GET', '/api/v1/federation', { token: auditor })
    ).body;
    expect(fedStatus.witnesses).toContainEqual(
      expect.objectContaining({ peer: HANGZHOU, status: 'ok' }),
    );
    expect((await api(fed.gw[HARBIN]!.url, 'GET', '/readyz')).status).toBe(200);
  });

  describe('when the peer signs a second, different root for a size it already signed', () => {
    it('raises a fork alarm that /readyz reports', async () => {
      const prev = (await peerRow())!;
      const key = readPrivateKeyFile(join(fed.keysDir, `${HANGZHOU}.private.jwk.json`));
      const origin = `tongban.example/ledger/${HANGZHOU}`;
      const forged = signNote(
        formatCheckpoint({ origin, size: prev.size, root: randomBytes(32) }),
        { name: origin, privateKey: key.privateKey },
      );
      fed.gw[HARBIN]!.gw.witness(HANGZHOU, forged);
      await eventually(async () => (await peerRow())?.status === 'fork', 'fork alarm');
      const ready = await api(fed.gw[HARBIN]!.url, 'GET', '/readyz');
      expect(ready.status).toBe(503);
      expect(ready.body.checks.witness).toMatchObject({
        ok: false,
        detail: expect.stringContaining(`${HANGZHOU}: fork`),
      });

      // the operator inspects, then clears the alarm after investigating (evidence stays)
      const schema = (fed.gw[HARBIN]!.gw.store as unknown as { schema: string }).schema;
      const flags = [
        '--city',
        HARBIN,
        '--database-url',
        TEST_DATABASE_URL,
        '--schema',
        schema,
        '--keys-dir',
        fed.keysDir,
      ];
      const listed = await tongban(['ledger', 'witnesses', ...flags]);
      expect(listed.code).toBe(1);
      expect(listed.stdout).toContain(`${HANGZHOU}  fork`);
      const cleared = await tongban([
        'ledger',
        'clear-alarm',
        ...flags,
        '--peer',
        HANGZHOU,
        '--reason',
        'test forgery',
      ]);
      expect(cleared.code).toBe(0);
      expect((await api(fed.gw[HARBIN]!.url, 'GET', '/readyz')).status).toBe(200);
    });
  });
});
