import { hashLeaf, inclusionProof, latestCheckpoint, verifyInclusion } from '../ledger';
import { acknowledgementOf, type Envelope } from '../signing';
import type { Store } from '../store';
import { openCityStore } from './open-city-store';
import { out, progress } from './output';

interface Found {
  index: number;
  digest: string;
  receiptId: string | null;
  included: boolean;
  data: Uint8Array;
}

/** What stored receipt bytes say about one message (a `receipt`, or a `receipt.batch` entry). */
function acknowledges(receipt: Uint8Array, messageId: string, digest: string): boolean {
  try {
    const jws = JSON.parse(Buffer.from(receipt).toString('utf8')) as { payload: string };
    const env = JSON.parse(Buffer.from(jws.payload, 'base64url').toString('utf8')) as Envelope;
    return acknowledgementOf(env, messageId)?.messageDigest === digest;
  } catch {
    return false;
  }
}

async function find(store: Store, id: string, direction: 'in' | 'out'): Promise<Found | undefined> {
  const r = await store.query<{
    ledger_index: number;
    digest: string;
    receipt_id: string | null;
    data: Uint8Array;
  }>(
    `SELECT m.ledger_index, m.digest, m.receipt_id, e.data FROM messages m JOIN ledger_entries e ON e.idx = m.ledger_index
      WHERE m.id = $1 AND m.direction = $2`,
    [id, direction],
  );
  const row = r.rows[0];
  if (!row) return undefined;
  const cp = await latestCheckpoint(store);
  let included = false;
  if (cp && row.ledger_index < cp.size) {
    const p = await inclusionProof(store, row.ledger_index, cp.size);
    included = verifyInclusion({
      index: row.ledger_index,
      size: cp.size,
      leafHash: hashLeaf(row.data),
      proof: p.hashes,
      root: cp.root,
    });
  }
  return {
    index: row.ledger_index,
    digest: row.digest,
    receiptId: row.receipt_id,
    included,
    data: row.data,
  };
}

/**
 * Both halves of one exchange, each proven against its ledger's latest checkpoint: the message
 * in the sender's (`a`) and the receiver's (`b`) ledgers, the receiver's receipt (a `receipt`
 * or the `receipt.batch` that listed it) in both, and that receipt naming the exact bytes.
 */
export async function checkExchange(
  a: Store,
  b: Store,
  o: { from: string; to: string; message: string },
): Promise<[string, boolean][]> {
  const sent = await find(a, o.message, 'out');
  const received = await find(b, o.message, 'in');
  const lines: [string, boolean][] = [];
  lines.push([
    `message ${o.message} in ${o.from}'s ledger (sent) at index ${sent?.index ?? '—'}, inclusion proven`,
    Boolean(sent?.included),
  ]);
  lines.push([
    `same message in ${o.to}'s ledger (received) at index ${received?.index ?? '—'}, inclusion proven`,
    Boolean(received?.included),
  ]);
  lines.push([
    'both ledgers hold the same bytes (digest)',
    Boolean(sent && received && sent.digest === received.digest),
  ]);
  const receiptId = received?.receiptId;
  const rOut = receiptId ? await find(b, receiptId, 'out') : undefined;
  const rIn = receiptId ? await find(a, receiptId, 'in') : undefined;
  lines.push([
    `${o.to}'s receipt ${receiptId ?? '—'} in ${o.to}'s ledger at index ${rOut?.index ?? '—'}`,
    Boolean(rOut?.included),
  ]);
  lines.push([
    `same receipt in ${o.from}'s ledger at index ${rIn?.index ?? '—'}`,
    Boolean(rIn?.included && rOut && rIn.digest === rOut.digest),
  ]);
  lines.push([
    'the receipt acknowledges exactly those bytes (its entry for the message names the digest)',
    Boolean(rOut && sent && acknowledges(rOut.data, o.message, sent.digest)),
  ]);
  return lines;
}

/** `tongban ledger verify-exchange`: checkExchange on a sandbox's two embedded stores. */
export async function verifyExchange(o: {
  from: string;
  to: string;
  message: string;
  dataDir: string;
}): Promise<boolean> {
  const a = await openCityStore({ city: o.from, dataDir: o.dataDir });
  const b = await openCityStore({ city: o.to, dataDir: o.dataDir });
  try {
    const lines = await checkExchange(a, b, o);
    for (const [text, ok] of lines) out(`${ok ? 'PASS' : 'FAIL'}  ${text}`);
    const all = lines.every(([, ok]) => ok);
    if (!all)
      progress(
        '(entries newer than the latest checkpoint show as not proven until the next checkpoint)',
      );
    return all;
  } finally {
    await a.close();
    await b.close();
  }
}
