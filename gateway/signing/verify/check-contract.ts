import { TongbanError } from '../../errors';
import type { ContractRef, Envelope } from '../types';

/**
 * Both sides speak the same contract: same name and same document digest (`contract_mismatch`).
 * The version is a label; the digest is what must agree. The problem names both sides.
 */
export function checkContract(env: Envelope, expected: ContractRef): void {
  const received = env.contract;
  if (received.name !== expected.name || received.digest !== expected.digest) {
    throw new TongbanError(
      'contract_mismatch',
      `Message speaks ${received.name} ${received.version} (${received.digest}); this gateway speaks ${expected.name} ${expected.version} (${expected.digest})`,
      {
        pointer: '/contract',
        extra: {
          expected: { version: expected.version, digest: expected.digest },
          received: { version: received.version, digest: received.digest },
        },
      },
    );
  }
}
