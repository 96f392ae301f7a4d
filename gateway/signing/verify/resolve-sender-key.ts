import { createPublicKey, type KeyObject } from 'node:crypto';
import { TongbanError } from '../../errors';
import type { VerifyContext } from './context';

/**
 * The claimed sender must be a known city (`unknown_sender`) with a pinned key under this
 * `kid` (`unknown_key`). The resolver is the caller's; nothing here reads config or network.
 */
export async function resolveSenderKey(
  from: string,
  kid: string,
  ctx: Pick<VerifyContext, 'knownCity' | 'resolveKey'>,
): Promise<KeyObject> {
  if (!ctx.knownCity(from)) {
    throw new TongbanError('unknown_sender', `City ${from} is not a known federation member`, {
      pointer: '/from',
      extra: { city: from },
    });
  }
  const key = await ctx.resolveKey(from, kid);
  if (key === undefined) {
    throw new TongbanError('unknown_key', `City ${from} has no pinned key with kid ${kid}`, {
      pointer: '/protected/kid',
      extra: { city: from, kid },
    });
  }
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new TongbanError(
      'config_invalid',
      `Pinned key ${kid} of city ${from} is not an Ed25519 key`,
    );
  }
  return key.type === 'private' ? createPublicKey(key) : key;
}
