// Transaction-scoped advisory locks, as the PostgreSQL adapter takes them: one per item a write reads
// (a 64-bit hash of table and key — an item that does not exist yet has no row to lock) and one per
// catalog entry a write is guarded by or a catalog change writes. Every transaction takes its locks
// in ascending id order, so no two wait for each other in a cycle.
import { createHash } from 'node:crypto';

export function itemLockId(table: Buffer, key: Uint8Array): bigint {
  return createHash('sha1').update(table).update(key).digest().readBigInt64BE(0);
}

/** Catalog entries' lock ids, computed once each: every write of a table takes its entry's lock. */
const catalogEntryLocks = new Map<string, bigint>();

export function catalogEntryLockId(key: string): bigint {
  let id = catalogEntryLocks.get(key);
  if (id === undefined) {
    id = createHash('sha1').update('catalog\0').update(key).digest().readBigInt64BE(0);
    catalogEntryLocks.set(key, id);
  }
  return id;
}

/** Distinct lock ids in ascending order. */
export function lockIds(ids: readonly bigint[]): string[] {
  return [...new Set(ids)].sort(ascending).map(String);
}

/**
 * A write's item locks: distinct ids in ascending order, and for each the index of the ref whose lock
 * is only tried (pg_try_advisory_xact_lock) — the first `failFast` refs' — or -1 where it is waited for.
 */
export function itemLockPlan(ids: readonly bigint[], failFast: number): { ids: string[]; tried: number[] } {
  const byId = new Map<bigint, number>();
  ids.forEach((id, index) => {
    const tried = index < failFast;
    if (!byId.has(id) || tried) byId.set(id, tried ? index : (byId.get(id) ?? -1));
  });
  const sorted = [...byId.keys()].sort(ascending);
  return { ids: sorted.map(String), tried: sorted.map((id) => byId.get(id) as number) };
}

/** The statement taking the planned locks, one column each; a tried lock's column says whether it was taken. */
export function itemLockStatement(plan: { ids: readonly string[]; tried: readonly number[] }): { sql: string; tried: { column: string; index: number }[] } {
  const tried: { column: string; index: number }[] = [];
  const calls = plan.ids.map((id, n) => {
    const index = plan.tried[n] as number;
    if (index < 0) return `pg_advisory_xact_lock(${id}) AS l${n}`;
    tried.push({ column: `l${n}`, index });
    return `pg_try_advisory_xact_lock(${id}) AS l${n}`;
  });
  return { sql: `SELECT ${calls.join(', ')}`, tried };
}

function ascending(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
