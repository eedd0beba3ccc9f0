// A write's decision as the rows stratusdb_apply writes (migrations.ts): each an item or an index
// entry, each also correcting its table's statistics shard by what was in place. Shards are chosen by
// the key's last byte; rows go in (table, shard) order, the same in every transaction, so writes
// never wait for each other's shard rows in a cycle.
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

/** stratusdb_apply's call with the rows as literals, for a transaction sent as text (one simple query). */
export function applyStatement(writes: readonly PlannedWrite[]): string {
  const array = (items: readonly string[], type: string): string => `ARRAY[${items.join(', ')}]::${type}[]`;
  return `SELECT stratusdb_apply(${array(writes.map((w) => byteaLiteral(w.table)), 'bytea')}, ${array(writes.map((w) => byteaLiteral(w.key)), 'bytea')}, `
    + `${array(writes.map((w) => (w.next === null ? 'NULL' : textLiteral(w.next.json))), 'text')}, ${array(writes.map((w) => String(w.next?.sizeBytes ?? 0)), 'integer')}, `
    + `${array(writes.map((w) => String(w.shard)), 'smallint')})`;
}

/**
 * The rows to write as the arrays stratusdb_apply takes (migrations.ts), in the order given, for a
 * statement with parameters (pg sends byte arrays as bytea). The read-first path's second round trip
 * is a simple query holding COMMIT too, which takes no parameters: it writes them as literals
 * (applyStatement).
 */
export function applyArrays(writes: readonly PlannedWrite[]): [Buffer[], Uint8Array[], (string | null)[], number[], number[]] {
  return [
    writes.map((w) => w.table),
    writes.map((w) => w.key),
    writes.map((w) => w.next?.json ?? null),
    writes.map((w) => w.next?.sizeBytes ?? 0),
    writes.map((w) => w.shard),
  ];
}
