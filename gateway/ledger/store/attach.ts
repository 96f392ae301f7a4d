/**
 * Rows written in the same statement as a ledger append (the index rows of the messages it
 * logs, the outbox rows that send them): one round trip instead of two, and by construction
 * only if the append itself is written — on a moved head nothing of it is, and it is planned
 * again with the new indices.
 */
export interface Attached {
  /** The target, e.g. `INSERT INTO messages (id, direction, …)`. */
  insert: string;
  /** The rows to insert; its `$n` placeholders number `params` from 1. */
  select: string;
  params: readonly unknown[];
  /** A RETURNING list: these rows come back from the append (at most one attachment). */
  returning?: string;
}

/** Given the indices the entries will get (in order), what to write with them. */
export type Attach = (indices: readonly number[]) => readonly Attached[];

/**
 * The data-modifying CTEs for `attached`, each guarded by the head move (`head` CTE) and with
 * its placeholders renumbered after the append's own `first - 1` parameters; and the name of
 * the one with a RETURNING list, if any.
 */
export function attachedCtes(
  attached: readonly Attached[],
  first: number,
): { ctes: string; params: unknown[]; returning?: string } {
  const params: unknown[] = [];
  const parts: string[] = [];
  let returning: string | undefined;
  attached.forEach((a, k) => {
    const shift = first - 1 + params.length;
    const select = a.select.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + shift}`);
    params.push(...a.params);
    const name = `attached_${k}`;
    if (a.returning) {
      if (returning) throw new Error('at most one attachment may return rows');
      returning = name;
    }
    parts.push(
      `${name} AS (${a.insert} SELECT * FROM (${select}) AS s WHERE EXISTS (SELECT 1 FROM head)` +
        `${a.returning ? ` RETURNING 1 AS returned__, ${a.returning}` : ''})`,
    );
  });
  return { ctes: parts.join(',\n'), params, returning };
}
