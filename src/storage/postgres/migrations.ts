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
  {
    version: 2,
    name: 'writes in one round trip: stratusdb_apply and stratusdb_write_guessed',
    // PL/pgSQL keeps each statement's plan for the connection's life, and force_generic_plan keeps it
    // from planning again for each call's values: a write costs PostgreSQL no parsing or planning,
    // which is most of what the same statements cost sent as text.
    sql: `
      CREATE FUNCTION stratusdb_apply(tables bytea[], keys bytea[], jsons text[], sizes integer[], shards smallint[]) RETURNS void
      LANGUAGE plpgsql SET plan_cache_mode = force_generic_plan AS $$
      BEGIN
        -- Rows in (table, shard) order: two writes never wait for each other's statistics rows in a cycle.
        FOR i IN 1 .. coalesce(array_length(keys, 1), 0) LOOP
          IF jsons[i] IS NULL THEN
            WITH old AS (DELETE FROM items WHERE table_id = tables[i] AND key = keys[i] RETURNING size_bytes)
            INSERT INTO table_stats AS s (table_id, shard, item_count, size_bytes)
            SELECT tables[i], shards[i], -count(*), -coalesce(sum(size_bytes), 0) FROM old HAVING count(*) > 0
            ON CONFLICT (table_id, shard) DO UPDATE SET item_count = s.item_count + EXCLUDED.item_count, size_bytes = s.size_bytes + EXCLUDED.size_bytes;
          ELSE
            WITH old AS (SELECT size_bytes FROM items WHERE table_id = tables[i] AND key = keys[i]),
            put AS (
              INSERT INTO items (table_id, key, json, size_bytes) VALUES (tables[i], keys[i], jsons[i], sizes[i])
              ON CONFLICT (table_id, key) DO UPDATE SET json = EXCLUDED.json, size_bytes = EXCLUDED.size_bytes
            )
            INSERT INTO table_stats AS s (table_id, shard, item_count, size_bytes)
            SELECT tables[i], shards[i], 1 - count(*), sizes[i] - coalesce(sum(size_bytes), 0) FROM old
            ON CONFLICT (table_id, shard) DO UPDATE SET item_count = s.item_count + EXCLUDED.item_count, size_bytes = s.size_bytes + EXCLUDED.size_bytes;
          END IF;
        END LOOP;
      END $$;

      -- A write decided on guessed items: takes the catalog guards' locks (shared) and the items'
      -- locks in the order given (ascending ids; those with tried >= 0 only tried: busy names the
      -- first not taken), then applies the writes only if every item is as guessed (its JSON, or null
      -- for absent) and every guard's entry has its value. Otherwise it returns what it found instead.
      CREATE FUNCTION stratusdb_write_guessed(
        guard_locks bigint[], guard_keys text[], guard_values text[],
        item_locks bigint[], tried integer[],
        item_tables bytea[], item_keys bytea[], guessed text[],
        tables bytea[], keys bytea[], jsons text[], sizes integer[], shards smallint[],
        OUT busy integer, OUT holds boolean, OUT found_jsons text[], OUT found_sizes integer[], OUT found_values text[]
      ) LANGUAGE plpgsql SET plan_cache_mode = force_generic_plan AS $$
      DECLARE
        json_found text;
        size_found integer;
      BEGIN
        FOR i IN 1 .. coalesce(array_length(guard_locks, 1), 0) LOOP
          PERFORM pg_advisory_xact_lock_shared(guard_locks[i]);
        END LOOP;
        FOR i IN 1 .. coalesce(array_length(item_locks, 1), 0) LOOP
          IF tried[i] < 0 THEN
            PERFORM pg_advisory_xact_lock(item_locks[i]);
          ELSIF NOT pg_try_advisory_xact_lock(item_locks[i]) THEN
            busy := tried[i];
            RETURN;
          END IF;
        END LOOP;
        -- One index lookup per item and per guard (a join would be planned once, generically, as a scan).
        found_jsons := '{}';
        found_sizes := '{}';
        found_values := '{}';
        FOR i IN 1 .. coalesce(array_length(item_keys, 1), 0) LOOP
          SELECT it.json, it.size_bytes INTO json_found, size_found FROM items it WHERE it.table_id = item_tables[i] AND it.key = item_keys[i];
          found_jsons[i] := json_found;
          found_sizes[i] := size_found;
        END LOOP;
        FOR i IN 1 .. coalesce(array_length(guard_keys, 1), 0) LOOP
          SELECT c.value INTO json_found FROM catalog c WHERE c.key = guard_keys[i];
          found_values[i] := json_found;
        END LOOP;
        holds := found_jsons IS NOT DISTINCT FROM guessed AND found_values IS NOT DISTINCT FROM guard_values;
        IF holds THEN
          PERFORM stratusdb_apply(tables, keys, jsons, sizes, shards);
          found_jsons := NULL;
          found_sizes := NULL;
          found_values := NULL;
        END IF;
      END $$;`,
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
