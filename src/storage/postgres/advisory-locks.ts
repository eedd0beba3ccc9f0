// Transaction-scoped advisory locks, as the PostgreSQL adapter takes them: one per item a write reads
// (a 64-bit hash of table and key — an item that does not exist yet has no row to lock) and one per
// catalog entry a write is guarded by or a catalog change writes. Every transaction takes its locks
// in ascending id order, so no two wait for each other in a cycle.
import { createHash } from 'node:crypto';

export function itemLockId(table: Buffer, key: Uint8Array): bigint {
  return createHash('sha1').update(table).update(key).digest().readBigInt64BE(0);
}

export function catalogEntryLockId(key: string): bigint {
  return createHash('sha1').update('catalog\0').update(key).digest().readBigInt64BE(0);
}

/** Distinct lock ids in ascending order. */
export function lockIds(ids: readonly bigint[]): string[] {
  return [...new Set(ids)].sort(ascending).map(String);
}

/**
 * The statement taking a write's item locks; the first `failFast` ids' locks are only tried
 * (pg_try_advisory_xact_lock), each in a column of its own that says whether it was taken.
 */
export function itemLockStatement(ids: readonly bigint[], failFast: number): { sql: string; tried: { column: string; index: number }[] } {
  // Per id, the index of the ref whose lock is only tried (-1: waited for).
  const byId = new Map<bigint, number>();
  ids.forEach((id, index) => {
    const tried = index < failFast;
    if (!byId.has(id) || tried) byId.set(id, tried ? index : (byId.get(id) ?? -1));
  });
  const tried: { column: string; index: number }[] = [];
  const calls = [...byId.keys()].sort(ascending).map((id, n) => {
    const index = byId.get(id) as number;
    if (index < 0) return `pg_advisory_xact_lock(${id}) AS l${n}`;
    tried.push({ column: `l${n}`, index });
    return `pg_try_advisory_xact_lock(${id}) AS l${n}`;
  });
  return { sql: `SELECT ${calls.join(', ')}`, tried };
}

function ascending(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
