/**
 * Rows written in the same statement as a ledger append (the index rows of the messages it
 * logs, the outbox rows that send them): one round trip instead of two, and by construction
 * only if the append itself is written — on a moved head nothing of it is, and it is planned
 * again with the new indices.
 */
export type Attached = AttachedInsert | AttachedUpdate;

interface AttachedCommon {
  params: readonly unknown[];
  /** A RETURNING list: these rows come back from the append (at most one attachment). */
  returning?: string;
}

export interface AttachedInsert extends AttachedCommon {
  /** The target, e.g. `INSERT INTO messages (id, direction, …)`. */
  insert: string;
  /** The rows to insert; its `$n` placeholders number `params` from 1. */
  select: string;
}

/**
 * Rows changed with the append (e.g. the delegations a batch of receipts acknowledges): by the
 * lock order, rows that are locked after the ledger head.
 */
export interface AttachedUpdate extends AttachedCommon {
  /**
   * An `UPDATE … WHERE …` whose WHERE clause says `{{head}}` where the append's own write must
   * be required (it becomes `EXISTS (SELECT 1 FROM head)`); `$n` placeholders as for insert.
   */
  update: string;
}

/** Where an UPDATE attachment requires the append's write. */
export const HEAD_WRITTEN = '{{head}}';

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
    const renumber = (sql: string) =>
      sql.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + shift}`);
    params.push(...a.params);
    const name = `attached_${k}`;
    if (a.returning) {
      if (returning) throw new Error('at most one attachment may return rows');
      returning = name;
    }
    const ret = a.returning ? ` RETURNING 1 AS returned__, ${a.returning}` : '';
    if ('update' in a) {
      if (!a.update.includes(HEAD_WRITTEN))
        throw new Error(`an UPDATE attachment must require the append's write (${HEAD_WRITTEN})`);
      const update = renumber(a.update).replace(HEAD_WRITTEN, 'EXISTS (SELECT 1 FROM head)');
      parts.push(`${name} AS (${update}${ret})`);
    } else {
      const select = renumber(a.select);
      parts.push(
        `${name} AS (${a.insert} SELECT * FROM (${select}) AS s WHERE EXISTS (SELECT 1 FROM head)${ret})`,
      );
    }
  });
  return { ctes: parts.join(',\n'), params, returning };
}
