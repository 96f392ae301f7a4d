/**
 * Work a unit of a transaction may leave for just before its COMMIT, so that what several units
 * of a group-committed transaction each want written is written once for all of them (e.g. the
 * messages they queue: one ledger append and one outbox statement per transaction instead of
 * per unit). Only transactions whose runner opens the registry take deferred work (group commit
 * does); elsewhere `beforeCommit` says no and the caller writes at once. Deferred work runs
 * inside the transaction, so it commits or rolls back with everything else in it.
 */
/**
 * `last`: this hook runs last and nothing is written after it but the COMMIT, which its own last
 * statement may carry (commit-with.ts). Only when the runner said so (runBeforeCommit). A hook
 * told it is last must leave no further deferred work: nothing can be written after it.
 */
type Hook = (last: boolean) => Promise<void>;

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

/**
 * The transaction runner, after the units and before COMMIT: run what they left, in order.
 * `final`: the runner will write nothing more before COMMIT, so the last hook is told it is last.
 */
export async function runBeforeCommit(q: object, final = false): Promise<void> {
  const r = registries.get(q);
  if (!r) return;
  for (;;) {
    const next = r.entries().next();
    if (next.done) break;
    const [key, hook] = next.value;
    r.delete(key);
    await hook(final && r.size === 0);
  }
  registries.delete(q);
}

/*
 * After COMMIT: what must happen only once a transaction's work is durable and visible (e.g.
 * handing the messages it queued to this process's delivery worker). The drivers' `tx` opens a
 * list for the handle it passes in, runs it after COMMIT succeeds and drops it on rollback. A
 * store that wraps another's handles links its handle to the inner one (`sameTransaction`).
 */
const afterHooks = new WeakMap<object, (() => void)[]>();
const aliases = new WeakMap<object, object>();
const inner = (q: object): object => aliases.get(q) ?? q;

const owners = new WeakMap<object, object>();

/** The driver's `tx`, before running the caller's function on `q` (a handle of `store`). */
export function openAfterCommit(q: object, store: object): void {
  afterHooks.set(q, []);
  owners.set(q, store);
}

/**
 * The store a transaction handle belongs to (undefined for anything else), for state kept per
 * store across transactions (e.g. the ledger head this process last wrote: ledger/store/append.ts).
 */
export function storeOf(q: object): object | undefined {
  return owners.get(inner(q));
}

/** A wrapping store: its handle `outer` stands for the driver's handle `q`. */
export function sameTransaction(outer: object, q: object): void {
  aliases.set(outer, inner(q));
}

/** Whether `q` is a transaction that runs after-commit hooks. */
export function takesAfterCommit(q: object): boolean {
  return afterHooks.has(inner(q));
}

/**
 * Run `hook` after the COMMIT of the transaction of `q` (never if it rolls back). False when `q`
 * is not such a transaction: then the caller must not count on it. Hooks must not throw.
 */
export function afterCommit(q: object, hook: () => void): boolean {
  const list = afterHooks.get(inner(q));
  if (!list) return false;
  list.push(hook);
  return true;
}

const endHooks = new WeakMap<object, (() => void)[]>();

/**
 * Run `hook` once the transaction of `q` has ended, committed or rolled back (e.g. letting the
 * next append of this process go: ledger/store/append.ts). False when `q` is not a transaction
 * that runs such hooks. Hooks must not throw.
 */
export function afterEnd(q: object, hook: () => void): boolean {
  const t = inner(q);
  if (!afterHooks.has(t)) return false;
  const list = endHooks.get(t) ?? [];
  list.push(hook);
  endHooks.set(t, list);
  return true;
}

function runHooks(list: readonly (() => void)[] | undefined): void {
  for (const h of list ?? []) {
    try {
      h();
    } catch {
      // a hook's failure is its own business; the transaction has ended
    }
  }
}

/** The driver's `tx`, once COMMIT succeeded. */
export function runAfterCommit(q: object): void {
  const list = afterHooks.get(q);
  afterHooks.delete(q);
  runHooks(list);
  runHooks(endHooks.get(q));
  endHooks.delete(q);
}

/** The driver's `tx`, once the transaction is rolled back (or its COMMIT failed). */
export function dropAfterCommit(q: object): void {
  afterHooks.delete(q);
  runHooks(endHooks.get(q));
  endHooks.delete(q);
}
