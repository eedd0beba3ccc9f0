// The PostgreSQL schema, as numbered migrations recorded in the database (stratusdb_migrations). A
// node applies the missing ones when it opens the store, under a lock, so nodes starting together
// apply each once; `stratusdb migrate` applies them without serving.
//
// Keys are bytea: PostgreSQL orders bytea by its bytes, exactly as DynamoDB orders keys (a collated
// text column would not). Every item key starts with its partition key's digest, so each
// single-item write touches one partition's rows (the shape a sharded PostgreSQL distributes by).
import type { PoolClient } from 'pg';

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'catalog, items and sharded table statistics',
    sql: `
      CREATE TABLE catalog (key text COLLATE "C" PRIMARY KEY, value text NOT NULL);
      CREATE TABLE items (
        table_id bytea NOT NULL,
        key bytea NOT NULL,
        json text NOT NULL,
        size_bytes integer NOT NULL,
        PRIMARY KEY (table_id, key)
      );
      CREATE TABLE table_stats (
        table_id bytea NOT NULL,
        shard smallint NOT NULL,
        item_count bigint NOT NULL,
        size_bytes bigint NOT NULL,
        PRIMARY KEY (table_id, shard)
      );`,
  },
];

/** Any fixed number: the transaction-scoped advisory lock that serialises nodes migrating one schema. */
const migrationLock = 0x5374726d;

/**
 * Creates the schema when missing and applies the migrations it lacks, in one transaction under a
 * lock (two nodes creating one schema at once would otherwise collide); resolves to the versions applied.
 */
export async function migrate(client: PoolClient, schema: string): Promise<number[]> {
  await client.query('BEGIN');
  try {
    await client.query(`SELECT pg_advisory_xact_lock(${migrationLock})`);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await client.query('CREATE TABLE IF NOT EXISTS stratusdb_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())');
    const applied = new Set((await client.query<{ version: number }>('SELECT version FROM stratusdb_migrations')).rows.map((r) => r.version));
    const newest = Math.max(0, ...applied);
    if (newest > (migrations.at(-1)?.version ?? 0)) {
      throw new Error(`the database's schema is version ${newest}, newer than this StratusDB knows (${migrations.at(-1)?.version ?? 0}): upgrade StratusDB`);
    }
    const done: number[] = [];
    for (const m of migrations) {
      if (applied.has(m.version)) continue;
      await client.query(m.sql);
      await client.query('INSERT INTO stratusdb_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
      done.push(m.version);
    }
    await client.query('COMMIT');
    return done;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
