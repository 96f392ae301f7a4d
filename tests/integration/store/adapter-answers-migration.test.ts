import { recordAdapterAnswer } from '../../../adapters/ledger-entry';
import { appendEntry } from '../../../gateway/ledger';
import { canonicalJson } from '../../../gateway/signing';
import { loadMigrations, migrate } from '../../../gateway/store/migrate';
import { openPgStore } from '../../../gateway/store/pg-store';
import { openPgliteStore } from '../../../gateway/store/pglite-store';
import type { Store } from '../../../gateway/store';
import { dropSchema, randomSchema, TEST_DATABASE_URL } from '../../support/db';

/**
 * Migration 009 indexes what platforms answered (ledger entries of kind 'adapter') by
 * delegation: entries logged before it are indexed by the migration itself, later ones by
 * recordAdapterAnswer in the same transaction. Both drivers.
 */
const before009 = () => loadMigrations().filter((m) => m.version < 9);
const evidence = (operation: 'deliver' | 'status', status: number) => ({
  adapter: 'rest' as const,
  city: '440100',
  operation,
  request: { method: 'POST', url: 'http://platform.example/api' },
  response: { status, body: '{"code":"0000"}' },
});

describe.each([
  ['postgres', () => openPgStore(TEST_DATABASE_URL, { schema: randomSchema('mig'), max: 2 })],
  ['pglite', () => openPgliteStore()],
] as const)('adapter_answers on %s', (_name, open) => {
  let store: Store & { schema?: string };
  beforeAll(async () => {
    store = await open();
  });
  afterAll(async () => {
    await store.close();
    const schema = (store as { schema?: string }).schema;
    if (schema) await dropSchema(schema);
  });

  it('indexes the entries logged before it, and each one logged after', async () => {
    await migrate(store, before009());
    // As a gateway of session 7 logged a delivery: the ledger entry alone.
    const old = {
      type: 'tongban.adapter-answer.v1',
      at: '2026-11-20T02:00:00.000Z',
      city: '440100',
      adapter: 'rest',
      operation: 'deliver',
      delegationId: 'd-old',
      messageId: 'm-old',
      request: { method: 'POST', url: 'http://platform.example/api' },
      response: { status: 200, body: '{}' },
      outcome: { delivered: true },
    };
    const { index: oldIndex } = await store.tx((q) =>
      appendEntry(q, canonicalJson(old), { kind: 'adapter', messageId: 'm-old' }),
    );
    await store.tx((q) => appendEntry(q, new Uint8Array([1, 2, 3]), { kind: 'message' }));

    expect(await migrate(store)).toEqual(expect.arrayContaining([9]));
    const rows = async () =>
      (
        await store.query<Record<string, unknown>>(
          `SELECT ledger_index::int AS i, city, operation, delegation_id, message_id, http_status,
                  at = $1::timestamptz AS at_ok
             FROM adapter_answers ORDER BY ledger_index`,
          ['2026-11-20T02:00:00.000Z'],
        )
      ).rows;
    expect(await rows()).toEqual([
      {
        i: Number(oldIndex),
        city: '440100',
        operation: 'deliver',
        delegation_id: 'd-old',
        message_id: 'm-old',
        http_status: 200,
        at_ok: true,
      },
    ]);

    const newIndex = await store.tx((q) =>
      recordAdapterAnswer(q, {
        at: '2026-11-20T02:00:00.000Z',
        evidence: evidence('status', 200),
        delegationId: 'd-new',
        outcome: { applied: true, status: 'accepted', seq: 1 },
      }),
    );
    expect((await rows())[1]).toEqual({
      i: newIndex,
      city: '440100',
      operation: 'status',
      delegation_id: 'd-new',
      message_id: null,
      http_status: 200,
      at_ok: true,
    });
  });

  it('a transaction that fails after recording an answer leaves neither entry nor index row', async () => {
    const count = async () =>
      (await store.query<{ n: number }>('SELECT count(*)::int AS n FROM adapter_answers')).rows[0]!
        .n;
    const size = async () =>
      (await store.query<{ n: number }>('SELECT count(*)::int AS n FROM ledger_entries')).rows[0]!
        .n;
    const [n0, s0] = [await count(), await size()];
    await expect(
      store.tx(async (q) => {
        await recordAdapterAnswer(q, {
          at: '2026-11-20T02:00:00.000Z',
          evidence: evidence('deliver', 200),
          delegationId: 'd-x',
        });
        throw new Error('the state change failed');
      }),
    ).rejects.toThrow('the state change failed');
    expect([await count(), await size()]).toEqual([n0, s0]);
  });
});
