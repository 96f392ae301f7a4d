import { TongbanError } from '../../errors';
import type { Envelope, MessageType } from '../types';

/** The envelope type is one this endpoint accepts (`type_mismatch`). */
export function checkType(env: Envelope, expected: MessageType | readonly MessageType[]): void {
  const allowed: readonly MessageType[] = typeof expected === 'string' ? [expected] : expected;
  if (!allowed.includes(env.type)) {
    throw new TongbanError(
      'type_mismatch',
      `Message type ${env.type} is not accepted here; expected ${allowed.join(' or ')}`,
      {
        pointer: '/type',
        extra: { expected: allowed, received: env.type },
      },
    );
  }
}
