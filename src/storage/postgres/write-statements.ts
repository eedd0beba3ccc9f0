// The statements that apply a write's decision in its transaction: one per written row (an item or
// an index entry), each also correcting the row's statistics shard by what was in place. Shards are
// chosen by the key's last byte; statements run in (table, shard) order, the same in every
// transaction, so writes never wait for each other's shard rows in a cycle.
import type { StoredItem } from '../storage.js';
import { byteaLiteral, textLiteral } from './sql-literals.js';

/** Statistics shards per table: writes to different shards never wait for each other's commit. */
const statsShards = 64;

/** One row's write, with where its statistics go. */
export interface PlannedWrite {
  readonly table: Buffer;
  readonly key: Uint8Array;
  readonly shard: number;
  readonly next: StoredItem | null;
}

export function planned(table: Buffer, key: Uint8Array, next: StoredItem | null): PlannedWrite {
  return { table, key, shard: (key[key.length - 1] ?? 0) % statsShards, next };
}

export function byStatsRow(a: PlannedWrite, b: PlannedWrite): number {
  return Buffer.compare(a.table, b.table) || a.shard - b.shard;
}

/** One item's write with its statistics shard, which it corrects by what was in place. */
export function writeStatement(w: PlannedWrite): string {
  const table = byteaLiteral(w.table);
  const key = byteaLiteral(w.key);
  const stats = `INSERT INTO table_stats AS s (table_id, shard, item_count, size_bytes)`;
  const merge = `ON CONFLICT (table_id, shard) DO UPDATE SET item_count = s.item_count + EXCLUDED.item_count, size_bytes = s.size_bytes + EXCLUDED.size_bytes`;
  if (w.next === null) {
    return `WITH old AS (DELETE FROM items WHERE table_id = ${table} AND key = ${key} RETURNING size_bytes) `
      + `${stats} SELECT ${table}, ${w.shard}, -count(*), -coalesce(sum(size_bytes), 0) FROM old HAVING count(*) > 0 ${merge}`;
  }
  const size = w.next.sizeBytes;
  return `WITH old AS (SELECT size_bytes FROM items WHERE table_id = ${table} AND key = ${key}), `
    + `put AS (INSERT INTO items (table_id, key, json, size_bytes) VALUES (${table}, ${key}, ${textLiteral(w.next.json)}, ${size}) `
    + `ON CONFLICT (table_id, key) DO UPDATE SET json = EXCLUDED.json, size_bytes = EXCLUDED.size_bytes) `
    + `${stats} SELECT ${table}, ${w.shard}, 1 - count(*), ${size} - coalesce(sum(size_bytes), 0) FROM old ${merge}`;
}
