/**
 * The calendar must give the same answers whatever the host's time zone. chinese-days' own
 * isWorkday() builds its tables with host-local dates and shifts every entry by a day west of
 * UTC, which is why gateway/calendar reads the package data instead. jest cannot change the
 * zone of its own process, so each zone runs in a child Node process (via tsx).
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');

function runIn(tz: string, script: string): unknown {
  const out = execFileSync(process.execPath, ['--require', 'tsx/cjs', '-e', script], {
    cwd: ROOT,
    env: { ...process.env, TZ: tz },
    encoding: 'utf8',
  });
  return JSON.parse(out);
}

const ANSWERS = `
const cal = require('./gateway/calendar');
process.stdout.write(JSON.stringify({
  offset: new Date(2026, 0, 1).getTimezoneOffset(),
  makeUpSaturday: cal.isWorkingDay('2026-02-14').working,
  monday: cal.isWorkingDay('2026-06-22').working,
  dragonBoat: cal.addWorkingDays('2026-06-18', 3).due,
  nationalDay: cal.addWorkingDays('2026-09-30', 3).due,
  workingHours: cal.dueAt('2026-06-18T16:30:00+08:00', { value: 3, unit: 'working_hours' }).due,
}));`;

describe('host time zone', () => {
  it.each(['America/Los_Angeles', 'Pacific/Kiritimati', 'UTC'])(
    'gives the same answers under %s',
    (tz) => {
      const answers = runIn(tz, ANSWERS) as Record<string, unknown>;
      expect(answers).toEqual({
        offset: expect.any(Number),
        makeUpSaturday: true,
        monday: true,
        dragonBoat: '2026-06-24',
        nationalDay: '2026-10-10',
        workingHours: '2026-06-22T11:00:00+08:00',
      });
    },
  );

  it('really runs under the requested zone (the probe itself can fail)', () => {
    expect((runIn('America/Los_Angeles', ANSWERS) as { offset: number }).offset).toBe(480);
  });

  it('agrees with chinese-days isWorkday on every covered day when the host is on Beijing time', () => {
    const script = `
const cal = require('./gateway/calendar');
const pkg = require('chinese-days');
const { firstYear, lastYear } = cal.calendarCoverage();
const disagreements = [];
for (let t = Date.UTC(firstYear, 0, 1); t <= Date.UTC(lastYear, 11, 31); t += 86400000) {
  const d = new Date(t);
  const iso = d.toISOString().slice(0, 10);
  if (cal.isWorkingDay(iso).working !== pkg.isWorkday(iso)) disagreements.push(iso);
}
process.stdout.write(JSON.stringify(disagreements));`;
    expect(runIn('Asia/Shanghai', script)).toEqual([]);
  });
});
