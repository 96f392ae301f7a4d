import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_CITY_CONFIG_DIR } from '../../../gateway/config/paths';
import { caseBody, penaltyRecord } from '../../support/fixtures';
import { api } from '../../support/http';
import { startFederation, type TestFederation } from '../../support/federation';

const HARBIN = '230100';
// published 2026-10-08: the 3-month minimum runs to 2027-01-08
const early = penaltyRecord('330100', '杭交执罚〔2026〕第88号', {
  decisionDate: '2026-10-01',
  publicityStartDate: '2026-10-08',
  fineCny: 100,
  finePaidDate: '2026-10-10',
});
const body = caseBody([early]);

/** Filing a not-yet-eligible record is the registration city's choice (intake.allowNotYetEligible). */
describe('intake of records that are not yet eligible', () => {
  describe('when the registration city does not allow it (default)', () => {
    let fed: TestFederation;
    beforeAll(async () => (fed = await startFederation([HARBIN])));
    afterAll(() => fed.close());
    it('refuses the case with each record outcome and creates nothing', async () => {
      const token = await fed.token(HARBIN);
      const res = await api(fed.gw[HARBIN]!.url, 'POST', '/api/v1/cases', { token, json: body });
      expect(res.status).toBe(422);
      expect(res.body.code).toBe('not_eligible');
      expect(res.body.outcomes[0]).toMatchObject({
        pointer: '/records/0',
        outcome: 'not_yet_eligible',
        eligibleFrom: '2027-01-09',
      });
      const n = await fed.gw[HARBIN]!.gw.store.query('SELECT 1 FROM cases');
      expect(n.rowCount).toBe(0);
    });
  });

  describe('when the registration city allows it', () => {
    let fed: TestFederation;
    let dir: string;
    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'tongban-cfg-'));
      cpSync(DEFAULT_CITY_CONFIG_DIR, dir, { recursive: true });
      const file = join(dir, `${HARBIN}.yaml`);
      writeFileSync(
        file,
        readFileSync(file, 'utf8').replace(
          'allowNotYetEligible: false',
          'allowNotYetEligible: true',
        ),
      );
      fed = await startFederation([HARBIN], { configDir: dir });
    });
    afterAll(async () => {
      await fed.close();
      rmSync(dir, { recursive: true, force: true });
    });
    it('files the case with a warning naming the record', async () => {
      const token = await fed.token(HARBIN);
      const res = await api(fed.gw[HARBIN]!.url, 'POST', '/api/v1/cases', { token, json: body });
      expect(res.status).toBe(201);
      expect(res.body.delegations).toHaveLength(1);
      expect(res.body.warnings).toEqual([expect.stringMatching(/^\/records\/0: not_yet_eligible/)]);
    });
  });
});
