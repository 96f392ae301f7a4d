import type { Principal } from '../auth/roles';
import { TongbanError } from '../errors';
import { lockLedgerFirst } from '../exchange/ledger-lock';
import type { Gateway } from '../runtime/context';
import { changeInboxStatus, lockInboxItem } from './callbacks';
import { ACTION_TARGET, assertTransition } from './transitions';
import type { DecisionWire, SyncTarget } from './types';

const ALL_TARGETS: SyncTarget[] = ['credit_china', 'necips', 'provincial_platform'];

/**
 * Penalising side: an officer's decision on a received delegation. The transition table says
 * what is legal; refusals and denials need a reason, a materials request needs its list (一次性
 * 告知补正). Each decision becomes a signed callback to the registration city.
 */
export async function decide(
  gw: Gateway,
  who: Principal,
  id: string,
  d: DecisionWire,
): Promise<void> {
  const target = ACTION_TARGET[d.action];
  if ((d.action === 'reject' || d.action === 'deny') && !d.reason) {
    throw new TongbanError('validation_failed', `A ${d.action} needs a reason`, {
      pointer: '/reason',
    });
  }
  if (d.action === 'request_materials' && !d.materialsRequested?.length) {
    throw new TongbanError('validation_failed', 'A materials request needs the list of materials', {
      pointer: '/materialsRequested',
    });
  }
  await gw.store.tx(async (q) => {
    await lockLedgerFirst(q);
    const item = await lockInboxItem(q, id);
    if (!item)
      throw new TongbanError('not_found', `No delegation ${id} in the inbox of ${gw.self.id}`);
    assertTransition(item.status, target);
    await changeInboxStatus(gw, q, item, target, {
      reason: d.reason,
      materialsRequested: d.materialsRequested,
      syncTargets: d.action === 'mark_repaired' ? (d.syncTargets ?? ALL_TARGETS) : undefined,
    });
  });
  gw.log.info({ delegation: id, action: d.action, by: who.sub }, 'inbox decision');
  gw.kickDelivery();
  gw.kickCheckpoint();
}
