import { TongbanError } from '../../errors';
import type { Envelope } from '../types';

/**
 * `issuedAt` lies within ±maxSkewSeconds of the receiver's clock (`stale_message`), both ways:
 * an old message may be a replay, one from the future a badly set clock.
 */
export function checkFreshness(env: Envelope, now: Date, maxSkewSeconds: number): void {
  const issued = Date.parse(env.issuedAt);
  const skewMs = Math.abs(now.getTime() - issued);
  if (!(skewMs <= maxSkewSeconds * 1000)) {
    throw new TongbanError(
      'stale_message',
      `Message issuedAt ${env.issuedAt} is ${Math.round(skewMs / 1000)} s from the receiver clock; at most ${maxSkewSeconds} s allowed`,
      {
        pointer: '/issuedAt',
        extra: { issuedAt: env.issuedAt, now: now.toISOString(), maxSkewSeconds },
      },
    );
  }
}
