import { TongbanError } from '../../errors';
import type { Envelope } from '../types';

/** The message is addressed to this gateway's city (`wrong_audience`). */
export function checkAudience(env: Envelope, self: string): void {
  if (env.to !== self) {
    throw new TongbanError(
      'wrong_audience',
      `Message is addressed to ${env.to}, this gateway is ${self}`,
      {
        pointer: '/to',
        extra: { expected: self, received: env.to },
      },
    );
  }
}
