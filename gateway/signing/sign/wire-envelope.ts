import { TongbanError, isTongbanError } from '../../errors';
import type { Envelope } from '../types';
import { checkShape } from '../verify/check-shape';

/**
 * The exact object that is canonicalized and signed: the contract's members only, `caseRef`
 * left out when absent. It passes the receiver's own shape check, so we never sign what a
 * peer must refuse.
 */
export function wireEnvelope(env: Envelope): Envelope {
  const wire: Envelope = {
    id: env.id,
    type: env.type,
    from: env.from,
    to: env.to,
    contract: {
      name: env.contract.name,
      version: env.contract.version,
      digest: env.contract.digest,
    },
    issuedAt: env.issuedAt,
    body: env.body,
  };
  if (env.caseRef !== undefined) wire.caseRef = env.caseRef;
  try {
    return checkShape(wire);
  } catch (cause) {
    if (!isTongbanError(cause)) throw cause;
    throw new TongbanError('internal', `Refusing to sign: ${cause.message}`, cause.details, {
      cause,
    });
  }
}
