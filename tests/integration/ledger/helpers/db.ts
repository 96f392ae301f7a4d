import { generateKeyPairSync, randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Store } from '../../../../gateway/store';
import { loadMigrations, migrate } from '../../../../gateway/store/migrate';
import { openPgStore } from '../../../../gateway/store/pg-store';
import { openPgliteStore } from '../../../../gateway/store/pglite-store';
import { vkeyOf } from '../../../../gateway/ledger';

export const PG_URL =
  process.env.TONGBAN_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Only the ledger's own migrations: these suites must not depend on anyone else's. */
const ledgerMigrations = () => loadMigrations().filter((m) => /^\d+_ledger[._]/.test(m.name));
const randomSchema = (): string => `t_${randomBytes(6).toString('hex')}`;

/** Gives each test a fresh, empty ledger; one suite shares one database connection. */
export interface Driver {
  name: 'pglite' | 'postgres';
  fresh(): Promise<Store>;
  /** PostgreSQL only: a second, independent pool on the same ledger (another "gateway"). */
  another(store: Store): Promise<Store>;
  close(): Promise<void>;
}

/** One PGlite instance per suite (they cost seconds each); each ledger is a new schema in it. */
function pgliteDriver(): Driver {
  let store: Promise<Store> | undefined;
  return {
    name: 'pglite',
    async fresh() {
      const s = await (store ??= openPgliteStore());
      const schema = randomSchema();
      await s.query(`CREATE SCHEMA ${schema}`);
      await s.query(`SET search_path TO ${schema}`);
      await migrate(s, ledgerMigrations());
      return s;
    },
    another() {
      throw new Error('PGlite has a single connection');
    },
    async close() {
      if (store) await (await store).close();
    },
  };
}

/** PostgreSQL isolated by random schemas, dropped afterwards. */
function postgresDriver(): Driver {
  const opened: { store: Store; schema: string }[] = [];
  const open = async (schema: string): Promise<Store> => {
    const store = await openPgStore(PG_URL, { schema, max: 4 });
    opened.push({ store, schema });
    return store;
  };
  return {
    name: 'postgres',
    async fresh() {
      const store = await open(randomSchema());
      await migrate(store, ledgerMigrations());
      return store;
    },
    async another(store) {
      const o = opened.find((x) => x.store === store);
      if (!o) throw new Error('unknown store');
      return open(o.schema);
    },
    async close() {
      await Promise.all(opened.map((o) => o.store.close()));
      const c = new pg.Client(PG_URL);
      await c.connect();
      for (const schema of new Set(opened.map((o) => o.schema)))
        await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await c.end();
    },
  };
}

export const drivers = (): Driver[] => [pgliteDriver(), postgresDriver()];

export function testSigner(origin = 'tongban.example/ledger/230100') {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { signer: { origin, privateKey }, vkey: vkeyOf(origin, publicKey), publicKey };
}

/** Simulates an attacker with database access: triggers off, one statement, triggers on. */
export async function tamper(
  store: Store,
  table: string,
  sql: string,
  params: unknown[] = [],
): Promise<void> {
  await store.tx(async (q) => {
    await q.query(`ALTER TABLE ${table} DISABLE TRIGGER USER`);
    await q.query(sql, params);
    await q.query(`ALTER TABLE ${table} ENABLE TRIGGER USER`);
  });
}

export const bytes = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'utf8'));
