import type { Gateway } from '../runtime/context';
import type { MessageType, VerifyContext } from '../signing';

/**
 * The verification context every signed message this gateway reads is checked with: our city
 * as audience, the pinned exchange contract, our clock and skew, the body limit and the keyring
 * (with the rate-limited key-set refetch). `peer` narrows the accepted sender (answers to our
 * own requests must come from the city we asked).
 */
export function verifyContext(
  gw: Gateway,
  expectedType: MessageType | MessageType[],
  peer?: string,
): VerifyContext {
  return {
    self: gw.self.id,
    expectedType,
    contract: gw.contracts.refs.exchange,
    now: gw.now(),
    maxSkewSeconds: gw.settings.clockSkewSeconds,
    maxBytes: gw.settings.bodyLimitBytes,
    resolveKey: (city, kid) => gw.resolveKey(city, kid),
    knownCity: (city) => (peer ? city === peer : gw.cities.has(city)),
  };
}
