/**
 * The chaos test's end checks that compare the two sides (delivery-chaos.test.ts): what one
 * sent is what the other received, each ledger verifies, no witness alarm.
 */
import { createPublicKey } from 'node:crypto';
import { join } from 'node:path';
import { verifyLedger, vkeyOf } from '../../gateway/ledger';
import { acknowledgementOf, readPrivateKeyFile, type Envelope } from '../../gateway/signing';
import { openStore } from '../../gateway/store';
import { TEST_DATABASE_URL } from '../support/db';
import type { Query } from './schedule';

/**
 * Every message the sender's outbox holds was received exactly once with the same id, type,
 * digest and receipt id; both sides hold each receipt (a `receipt`, or a `receipt.batch`
 * shared by the messages of one batch request) once with the same digest, and the stored
 * receipt acknowledges each message's exact bytes.
 */
export async function sentEqualsReceived(sender: Query, receiver: Query) {
  const sent = await sender(
    `SELECT m.id, m.type, m.digest, m.receipt_id FROM outbox o JOIN messages m ON m.id = o.message_id AND m.direction = 'out' ORDER BY m.id`,
  );
  const types = [...new Set(sent.map((s) => s.type as string))];
  const got = await receiver(
    `SELECT id, type, digest, receipt_id FROM messages WHERE direction = 'in' AND type = ANY($1) ORDER BY id`,
    [types],
  );
  expect(got).toEqual(sent); // no loss, no duplicate, same bytes, same receipt id
  const receiptIds = [...new Set(sent.map((s) => s.receipt_id as string))];
  const receipts = `SELECT m.id, m.digest FROM messages m
     WHERE m.direction = $2 AND m.type IN ('receipt', 'receipt.batch') AND m.id = ANY($1) ORDER BY m.id`;
  const rs = await sender(receipts, [receiptIds, 'in']);
  const ro = await receiver(receipts, [receiptIds, 'out']);
  expect(rs).toHaveLength(receiptIds.length);
  expect(rs).toEqual(ro);
  const bytes = new Map(
    (
      await sender(
        `SELECT m.id, e.data FROM messages m JOIN ledger_entries e ON e.idx = m.ledger_index
          WHERE m.direction = 'in' AND m.id = ANY($1)`,
        [receiptIds],
      )
    ).map((r) => [r.id as string, r.data as Uint8Array]),
  );
  const unacknowledged = sent.filter(
    (s) =>
      acknowledgementOf(envelopeOf(bytes.get(s.receipt_id)!), s.id)?.messageDigest !== s.digest,
  );
  expect(unacknowledged).toEqual([]);
  return { types, count: sent.length, receipts: receiptIds.length };
}

/** The envelope inside stored flattened-JWS bytes. */
function envelopeOf(bytes: Uint8Array): Envelope {
  const jws = JSON.parse(Buffer.from(bytes).toString('utf8')) as { payload: string };
  return JSON.parse(Buffer.from(jws.payload, 'base64url').toString('utf8')) as Envelope;
}

/** One city's ledger verifies end to end (Merkle tree, checkpoints) with its own key. */
export async function ledgerVerifies(keysDir: string, city: string, schema: string) {
  const key = readPrivateKeyFile(join(keysDir, `${city}.private.jwk.json`));
  const store = await openStore({ databaseUrl: TEST_DATABASE_URL, schema });
  try {
    const report = await verifyLedger(store, {
      vkey: vkeyOf(`tongban.example/ledger/${city}`, createPublicKey(key.privateKey)),
    });
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
    return { entries: report.size, checkpoints: report.checkpoints };
  } finally {
    await store.close();
  }
}

/** Outbox rows, attempts in all and the most for one row. */
export const attempts = async (q: Query) =>
  (
    await q(
      `SELECT count(*)::int AS rows, sum(attempts)::int AS attempts, max(attempts)::int AS max FROM outbox`,
    )
  )[0];

/** Peer checkpoints in alarm (fork, shrink, bad signature), as text. */
export const witnessAlarms = async (q: Query) =>
  (await q(`SELECT peer, status, detail FROM peer_checkpoints WHERE status <> 'ok'`)).map(
    (r) => `${r.peer}: ${r.status} (${r.detail})`,
  );

/** One side's outbox: every row delivered (none dead) with exactly one logged delivery. */
export async function deliveredOnceEach(q: Query) {
  const ob = await q(`SELECT status, count(*)::int AS n FROM outbox GROUP BY status`);
  expect(ob.map((r) => r.status)).toEqual(['delivered']);
  const twice = await q(
    `SELECT outbox_id FROM delivery_attempts WHERE outcome = 'delivered' GROUP BY outbox_id HAVING count(*) <> 1`,
  );
  expect(twice).toEqual([]);
  const unlogged = await q(
    `SELECT o.id FROM outbox o WHERE NOT EXISTS (SELECT 1 FROM delivery_attempts a WHERE a.outbox_id = o.id AND a.outcome = 'delivered')`,
  );
  expect(unlogged).toEqual([]);
}

/** One side's ledger: no message id twice, and every indexed message is the entry it names. */
export async function ledgerHoldsEachOnce(q: Query) {
  const dup = await q(
    `SELECT message_id FROM ledger_entries WHERE message_id IS NOT NULL GROUP BY message_id HAVING count(*) > 1`,
  );
  expect(dup).toEqual([]);
  const mismatch = await q(
    `SELECT m.id FROM messages m JOIN ledger_entries e ON e.idx = m.ledger_index WHERE e.message_id IS DISTINCT FROM m.id`,
  );
  expect(mismatch).toEqual([]);
}
