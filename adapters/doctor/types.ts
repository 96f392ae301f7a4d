/** One line of `tongban config doctor`: what was checked, the verdict, and how to fix a failure. */
export interface DoctorRow {
  check: string;
  result: 'pass' | 'fail' | 'warn' | 'skip';
  detail: string;
  fix?: string;
}

export const MAX_SKEW_SECONDS = 300;

/** Clock skew from an HTTP Date header (second resolution), as a row. */
export function clockRow(date: string | undefined, now: Date, where: string): DoctorRow {
  const t = date ? Date.parse(date) : NaN;
  if (Number.isNaN(t)) {
    return {
      check: 'clock skew',
      result: 'warn',
      detail: `${where} sent no Date header`,
      fix: 'have the server send a Date header (RFC 9110 §6.6.1) so skew can be checked',
    };
  }
  const skew = Math.round((t - now.getTime()) / 1000);
  const detail = `${skew >= 0 ? '+' : ''}${skew} s against this machine`;
  if (Math.abs(skew) <= MAX_SKEW_SECONDS - 60)
    return { check: 'clock skew', result: 'pass', detail };
  return {
    check: 'clock skew',
    result: Math.abs(skew) <= MAX_SKEW_SECONDS ? 'warn' : 'fail',
    detail: `${detail} (signed messages more than ${MAX_SKEW_SECONDS} s off are refused)`,
    fix: 'synchronise both clocks with NTP (timedatectl set-ntp true; chronyc tracking)',
  };
}
