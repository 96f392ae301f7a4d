import { holdsLedgerHead } from '../ledger/store/append';
import type { Queryable } from '../store';

/**
 * Take the ledger head lock first. Every transaction that appends to the ledger and also locks
 * a case, delegation or inbox row must take the locks in one order (ledger head, then rows),
 * or an officer's decision and an arriving message could deadlock. Receiving appends first by
 * construction; officer actions call this before touching their rows.
 */
export async function lockLedgerFirst(q: Queryable): Promise<void> {
  await q.query('SELECT 1 FROM ledger_head WHERE id = 1 FOR UPDATE');
  holdsLedgerHead(q);
}
