/**
 * A request with an invalid company code is refused as a whole (DOMAIN.md, Conditions to
 * apply): the caller asserts the USCC before any record is assessed.
 */
import { TongbanError } from '../errors';
import { validateUscc } from './uscc';

export function assertUscc(uscc: unknown, pointer: string): asserts uscc is string {
  const result = validateUscc(uscc);
  if (!result.ok) {
    throw new TongbanError(
      'invalid_uscc',
      `Invalid unified social credit code: ${result.message}`,
      {
        pointer,
        extra: { reason: result.reason, ...(result.position ? { position: result.position } : {}) },
      },
    );
  }
}
