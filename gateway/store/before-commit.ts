/**
 * Work a unit of a transaction may leave for just before its COMMIT, so that what several units
 * of a group-committed transaction each want written is written once for all of them (e.g. the
 * messages they queue: one ledger append and one outbox statement per transaction instead of
 * per unit). Only transactions whose runner opens the registry take deferred work (group commit
 * does); elsewhere `beforeCommit` says no and the caller writes at once. Deferred work runs
 * inside the transaction, so it commits or rolls back with everything else in it.
 */
type Hook = () => Promise<void>;

const registries = new WeakMap<object, Map<unknown, Hook>>();

/** The transaction runner: this handle takes deferred work until `runBeforeCommit`. */
export function openBeforeCommit(q: object): void {
  registries.set(q, new Map());
}

/**
 * Leave `hook` (once per key) for just before the COMMIT of the transaction of `q`. False when
 * that transaction takes no deferred work: then do it now.
 */
export function beforeCommit(q: object, key: unknown, hook: Hook): boolean {
  const r = registries.get(q);
  if (!r) return false;
  if (!r.has(key)) r.set(key, hook);
  return true;
}

/** The transaction runner, after the units and before COMMIT: run what they left, in order. */
export async function runBeforeCommit(q: object): Promise<void> {
  const r = registries.get(q);
  if (!r) return;
  for (;;) {
    const next = r.entries().next();
    if (next.done) break;
    const [key, hook] = next.value;
    r.delete(key);
    await hook();
  }
  registries.delete(q);
}
