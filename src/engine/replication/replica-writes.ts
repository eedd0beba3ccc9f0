// What a write to replicas of global tables adds to its storage transaction (item-writer.ts): each
// item's stamp, read and rewritten with the item, and — for a client's write — the replica's log head
// and the log's new changes. A change another replica made (`incoming`) is applied only when its
// stamp is newer than the item's; it is not logged again (replicated writes are not sent back) —
// except on a table with multi-region strong consistency, whose replicas log all they apply.
import type { DerivedWrite, ItemRef, StoredItem } from '../../storage/storage.js';
import { appendLocalChanges, appendRelayedChanges, newer, parseStamp, stampKey, storedStamp, type ReplicationTarget, type Stamp } from './replication-log.js';

interface ReplicaWrite {
  readonly key: Buffer;
  readonly target: { readonly replication?: ReplicationTarget };
}

/** Where a write's replication refs sit among its refs. */
export interface ReplicaRefs {
  /** Per write: its item's stamp ref, or undefined (not a replica). */
  readonly stampAt: readonly (number | undefined)[];
  /** A client's write: one head ref per replica log. */
  readonly logs: readonly { readonly target: ReplicationTarget; readonly at: number }[];
  readonly start: number;
  readonly end: number;
}

/** Adds the refs to `refs`; undefined when no write is to a replica. */
export function addReplicaRefs(writes: readonly ReplicaWrite[], refs: ItemRef[], incoming: boolean): ReplicaRefs | undefined {
  if (!writes.some((w) => w.target.replication !== undefined)) return undefined;
  const start = refs.length;
  const stampAt: (number | undefined)[] = [];
  const logs: { target: ReplicationTarget; at: number }[] = [];
  for (const w of writes) {
    const replication = w.target.replication;
    if (replication === undefined) {
      stampAt.push(undefined);
      continue;
    }
    stampAt.push(refs.length);
    refs.push({ tableId: replication.logId, key: stampKey(w.key), uncounted: true });
    if ((!incoming || replication.relay) && !logs.some((l) => l.target.logId === replication.logId)) {
      logs.push({ target: replication, at: refs.length });
      refs.push(replication.headRef);
    }
  }
  return { stampAt, logs, start, end: refs.length };
}

/** Whether write `i`, another replica's change stamped `stamp`, loses to what the item has (it is then left as it is). */
export function staleIncoming(at: ReplicaRefs | undefined, i: number, stamp: Stamp | undefined, current: readonly (StoredItem | undefined)[]): boolean {
  const ref = at?.stampAt[i];
  return stamp !== undefined && ref !== undefined && !newer(stamp, parseStamp(current[ref]));
}

/**
 * Pure: the writes of the replication refs (in their order) and the log records. `written[i]`: write
 * i changed its item; `next[i]`: the item after it; `incoming[i]`: another replica's stamp (undefined:
 * a client's write, stamped here).
 */
export function replicaDecisions(
  at: ReplicaRefs, writes: readonly ReplicaWrite[], current: readonly (StoredItem | undefined)[], next: readonly (StoredItem | null | undefined)[],
  written: readonly boolean[], incoming: readonly (Stamp | undefined)[] | undefined, nowMs: number,
): { writes: (StoredItem | undefined)[]; derived: DerivedWrite[] } {
  const out: (StoredItem | undefined)[] = new Array<StoredItem | undefined>(at.end - at.start).fill(undefined);
  const derived: DerivedWrite[] = [];
  if (incoming !== undefined) {
    const relayed = new Map<string, { key: Uint8Array; next: StoredItem | null; stamp: Stamp }[]>();
    writes.forEach((w, i) => {
      const ref = at.stampAt[i];
      const stamp = incoming[i];
      // A newer change is kept as the item's stamp even where it changed nothing (the delete of an item not here yet).
      if (ref === undefined || stamp === undefined || !newer(stamp, parseStamp(current[ref]))) return;
      out[ref - at.start] = storedStamp(stamp);
      const replication = w.target.replication;
      if (replication?.relay === true) relayed.set(replication.logId, [...(relayed.get(replication.logId) ?? []), { key: w.key, next: next[i] ?? null, stamp }]);
    });
    for (const { target, at: headAt } of at.logs) {
      const logged = appendRelayedChanges(target, current[headAt], relayed.get(target.logId) ?? []);
      if (logged === undefined) continue;
      out[headAt - at.start] = logged.head;
      for (const record of logged.records) derived.push(record);
    }
    return { writes: out, derived };
  }
  for (const { target, at: headAt } of at.logs) {
    const mine: number[] = [];
    writes.forEach((w, i) => {
      if (w.target.replication?.logId === target.logId && written[i] === true) mine.push(i);
    });
    const changes = mine.map((i) => ({ key: writes[i]?.key as Buffer, next: next[i] ?? null, before: parseStamp(current[at.stampAt[i] as number]) }));
    const logged = appendLocalChanges(target, current[headAt], changes, nowMs);
    if (logged === undefined) continue;
    out[headAt - at.start] = logged.head;
    mine.forEach((i, j) => {
      out[(at.stampAt[i] as number) - at.start] = storedStamp(logged.stamps[j] as Stamp);
    });
    for (const record of logged.records) derived.push(record);
  }
  return { writes: out, derived };
}
