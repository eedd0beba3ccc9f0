// The one write path: a single PutItem, a BatchWriteItem and a TransactWriteItems all commit through
// here, in one storage transaction each — every item's next state decided from its current one, its
// index entries, its item collection's size, its stream's change records (and a transaction's token
// record) — guarded by the version of every table it was planned on. After the commit it records the
// GSI changes (for simulated propagation lag) and wakes the streams' readers.
import type { AttributeMap } from '../model/attribute-value.js';
import { writeCapacityUnits } from '../model/capacity-units.js';
import type { TableRecord } from '../model/table.js';
import type { CatalogGuard, DerivedWrite, ItemRef, StoredItem, Storage } from '../storage/storage.js';
import type { IndexEntryChange, IndexHistory } from './index-history.js';
import { indexWrites, type IndexKeyWrite, type IndexUnits } from './indexes.js';
import { collectionRef, nextCollection, type WriteTarget } from './item-collections.js';
import { appendRecords, type ChangePrincipal, type ItemChange, type StreamTarget } from './streams/change-records.js';
import { appendChanges, type RecoveryTarget } from './recovery/recovery-log.js';
import { addReplicaRefs, replicaDecisions, staleIncoming } from './replication/replica-writes.js';
import type { Stamp } from './replication/replication-log.js';

/** An item's next state: a StoredItem (with its parsed form) to put, null to delete, undefined to leave it. */
export interface NextItem {
  readonly next: StoredItem | null | undefined;
  readonly item?: AttributeMap;
  /** The current item parsed, when the decision parsed it already (saves parsing it again for the indexes). */
  readonly before?: AttributeMap | undefined;
}

export interface ItemWrite {
  readonly table: TableRecord;
  readonly target: WriteTarget;
  readonly key: Buffer;
  /** Pure; may throw to abandon the whole write. */
  readonly decide: (current: StoredItem | undefined) => NextItem;
}

export interface ItemWriteOutcome {
  readonly previous: StoredItem | undefined;
  /** Whether the item was put or deleted (false: left as it was, or a delete of a missing item). */
  readonly written: boolean;
  /** The table's write units as DynamoDB charges the write (a delete of a missing item costs one). */
  readonly capacityUnits: number;
  readonly indexUnits: readonly IndexUnits[];
  /** Tables with LSIs: the size of the item's collection after the write. */
  readonly collectionBytes?: number;
  /** The GSI entries it put or removed, when WriteOptions.indexKeys asked for them. */
  readonly indexKeys?: readonly IndexKeyWrite[];
}

/** Records written with the items (a transaction's token): decided with them, from their current state. */
export interface ExtraRecords {
  readonly refs: readonly ItemRef[];
  /** Runs first, before any item is decided; may throw to abandon the write (a token already used). */
  readonly inspect?: (current: readonly (StoredItem | undefined)[]) => void;
  readonly decide: (current: readonly (StoredItem | undefined)[], decided: readonly NextItem[]) => readonly (StoredItem | null | undefined)[];
}

export interface WriteOptions {
  /** Runs after every decide, before anything is written; may throw (a transaction refuses as a whole). */
  readonly check?: (decided: readonly NextItem[]) => void;
  readonly extra?: ExtraRecords;
  /** Who made the change, when not a client (TTL deletions). */
  readonly principal?: ChangePrincipal;
  /**
   * A transaction: an item another process's write holds is not waited for; the write fails with
   * storage's ItemBusy naming the write that met it (its index in `writes`).
   */
  readonly failFast?: boolean;
  /**
   * Changes another replica of a global table made, one stamp per write: each is applied only where
   * it is newer than the item's stamp, and is not logged for the other replicas again.
   */
  readonly incoming?: readonly Stamp[];
  /**
   * Asks for each write's GSI entries (in its outcome's indexKeys): runs with them once they are
   * known, before anything is written, and may throw (a hot GSI partition refuses the write).
   */
  readonly indexKeys?: (keys: readonly (readonly IndexKeyWrite[])[]) => void;
}

export class ItemWriter {
  constructor(
    private readonly storage: Storage,
    private readonly history: IndexHistory,
    private readonly guardOf: (table: TableRecord) => CatalogGuard,
  ) {}

  /**
   * One item's write. The common case — a table without indexes, item collections or a stream —
   * takes a path of its own that allocates little (it is most of a PutItem's engine time).
   */
  async writeOne(write: ItemWrite, options: WriteOptions = {}): Promise<ItemWriteOutcome> {
    const target = write.target;
    if (target.indexes.length > 0 || target.collections !== undefined || target.stream !== undefined || target.recovery !== undefined || target.replication !== undefined || options.extra !== undefined) {
      return (await this.write([write], options))[0] as ItemWriteOutcome;
    }
    return this.storage.write([{ tableId: target.tableId, key: write.key }], (current) => {
      const previous = current[0];
      const decided = write.decide(previous);
      options.check?.([decided]);
      const { written, capacityUnits } = effectOf(previous, decided.next);
      return { writes: [written ? decided.next : undefined], result: { previous, written, capacityUnits, indexUnits: noIndexUnits } };
    }, [this.guardOf(write.table)]);
  }

  /** Applies every write or none; see the file comment. A CatalogConflict means a table changed since it was planned on. */
  async write(writes: readonly ItemWrite[], options: WriteOptions = {}): Promise<ItemWriteOutcome[]> {
    const refs: ItemRef[] = writes.map((w) => ({ tableId: w.target.tableId, key: w.key }));
    // One ref per collection record, however many items of the collection the write touches.
    const collectionOf: (number | undefined)[] = [];
    let collectionIndex: Map<string, number> | undefined;
    for (const w of writes) {
      const ref = collectionRef(w.target, w.key);
      if (ref === undefined) {
        collectionOf.push(undefined);
        continue;
      }
      collectionIndex ??= new Map();
      const id = `${ref.tableId}:${Buffer.from(ref.key).toString('hex')}`;
      let at = collectionIndex.get(id);
      if (at === undefined) {
        at = refs.length;
        refs.push(ref);
        collectionIndex.set(id, at);
      }
      collectionOf.push(at);
    }
    const collectionsEnd = refs.length;
    // One head ref per stream, however many of its table's items the write touches.
    const streams: { target: StreamTarget; at: number }[] = [];
    for (const w of writes) {
      const stream = w.target.stream;
      if (stream === undefined || streams.some((s) => s.target.info.storageId === stream.info.storageId)) continue;
      streams.push({ target: stream, at: refs.length });
      refs.push(stream.headRef);
    }
    // One head ref per recovery log, likewise.
    const logs: { target: RecoveryTarget; at: number }[] = [];
    for (const w of writes) {
      const recovery = w.target.recovery;
      if (recovery === undefined || logs.some((l) => l.target.logId === recovery.logId)) continue;
      logs.push({ target: recovery, at: refs.length });
      refs.push(recovery.headRef);
    }
    const replicas = addReplicaRefs(writes, refs, options.incoming !== undefined);
    const extraAt = refs.length;
    if (options.extra !== undefined) refs.push(...options.extra.refs);
    // Every stream and log of one server reads the same clock; one reading dates all the write's records.
    const now = (streams[0]?.target.clock ?? logs[0]?.target.clock ?? replicas?.logs[0]?.target.clock)?.now() ?? 0;
    const guards = writes.length === 1 ? [this.guardOf((writes[0] as ItemWrite).table)] : uniqueGuards(writes.map((w) => this.guardOf(w.table)));
    let appended: StreamTarget[] = [];
    let history: IndexEntryChange[] = [];
    const outcome = await this.storage.write(refs, (current) => {
      options.extra?.inspect?.(current.slice(extraAt));
      const decided = writes.map((w, i) => (staleIncoming(replicas, i, options.incoming?.[i], current) ? leftAsItIs : w.decide(current[i])));
      options.check?.(decided);
      const derived: DerivedWrite[] = [];
      const deltas = collectionsEnd > writes.length ? new Map<number, number>() : undefined;
      const streamChanges = streams.map((): ItemChange[] => []);
      history = [];
      const gsiKeys = options.indexKeys === undefined ? undefined : writes.map((): IndexKeyWrite[] => []);
      const outcomes = writes.map((w, i): ItemWriteOutcome => {
        const previous = current[i];
        const { next, item, before: parsed } = decided[i] as NextItem;
        const { written, capacityUnits } = effectOf(previous, next);
        let indexUnits: readonly IndexUnits[] = [];
        let localBytes = 0;
        let before: AttributeMap | undefined;
        let after = item;
        if (written && w.target.indexes.length > 0) {
          before = previous === undefined ? undefined : parsed ?? (JSON.parse(previous.json) as AttributeMap);
          after = next === null || next === undefined ? undefined : item ?? (JSON.parse(next.json) as AttributeMap);
          const changes = indexWrites(w.target.indexes, w.key, before, after, next?.json, previous?.json, gsiKeys?.[i]);
          for (const d of changes.writes) derived.push(d);
          for (const h of changes.history) history.push(h);
          indexUnits = changes.units;
          localBytes = changes.localBytes;
        }
        const at = collectionOf[i];
        if (at !== undefined && written && deltas !== undefined) deltas.set(at, (deltas.get(at) ?? 0) + (next?.sizeBytes ?? 0) - (previous?.sizeBytes ?? 0) + localBytes);
        const stream = w.target.stream;
        if (written && stream !== undefined) {
          const s = streams.findIndex((x) => x.target === stream);
          streamChanges[s]?.push({ previous, next: next as StoredItem | null, before, after });
        }
        return gsiKeys === undefined ? { previous, written, capacityUnits, indexUnits } : { previous, written, capacityUnits, indexUnits, indexKeys: gsiKeys[i] as IndexKeyWrite[] };
      });
      if (gsiKeys !== undefined) options.indexKeys?.(gsiKeys);
      const itemWrites: (StoredItem | null | undefined)[] = decided.map((d, i) => (outcomes[i]?.written === true ? d.next : undefined));
      let collectionBytes: Map<number, number> | undefined;
      for (let at = writes.length; at < collectionsEnd; at++) {
        const target = writes[collectionOf.indexOf(at)]?.target as WriteTarget;
        const next = nextCollection(target, current[at], deltas?.get(at) ?? 0);
        itemWrites.push(next.write);
        (collectionBytes ??= new Map()).set(at, next.bytes);
      }
      const result = collectionBytes === undefined ? outcomes : outcomes.map((o, i) => {
        const at = collectionOf[i];
        return at === undefined ? o : { ...o, collectionBytes: collectionBytes.get(at) as number };
      });
      appended = [];
      streams.forEach(({ target, at }, s) => {
        const records = appendRecords(target, current[at], streamChanges[s] ?? [], now, options.principal);
        itemWrites.push(records?.head);
        if (records === undefined) return;
        for (const r of records.records) derived.push(r);
        appended.push(target);
      });
      for (const { target, at } of logs) {
        const changes: { key: Uint8Array; next: StoredItem | null }[] = [];
        writes.forEach((w, i) => {
          if (w.target.recovery?.logId === target.logId && outcomes[i]?.written === true) changes.push({ key: w.key, next: decided[i]?.next as StoredItem | null });
        });
        const logged = appendChanges(target, current[at], changes, now);
        itemWrites.push(logged?.head);
        if (logged !== undefined) for (const r of logged.records) derived.push(r);
      }
      if (replicas !== undefined) {
        const replicated = replicaDecisions(replicas, writes, current, decided.map((d) => d.next), outcomes.map((o) => o.written), options.incoming, now);
        itemWrites.push(...replicated.writes);
        for (const r of replicated.derived) derived.push(r);
      }
      if (options.extra !== undefined) itemWrites.push(...options.extra.decide(current.slice(extraAt), decided));
      return { writes: itemWrites, result, derived };
    }, guards, options.failFast === true ? { failFastRefs: writes.length } : undefined);
    this.history.record(history);
    for (const stream of appended) stream.committed(stream.info.storageId);
    if (replicas !== undefined) for (const { target } of replicas.logs) target.committed(target.logId);
    return outcome;
  }
}

const noIndexUnits: readonly IndexUnits[] = [];
/** The decision for another replica's change that lost to the item's newer stamp. */
const leftAsItIs: NextItem = { next: undefined };

/**
 * Whether a decided next state changes the stored item — leaving it (a ConditionCheck, an update
 * that only removes from nothing) or deleting a missing item does not — and the write units it
 * costs, which DynamoDB charges either way.
 */
function effectOf(previous: StoredItem | undefined, next: StoredItem | null | undefined): { written: boolean; capacityUnits: number } {
  return {
    written: next !== undefined && !(next === null && previous === undefined),
    capacityUnits: writeCapacityUnits(previous?.sizeBytes ?? 0, next?.sizeBytes ?? 0),
  };
}

function uniqueGuards(guards: readonly CatalogGuard[]): CatalogGuard[] {
  const out = new Map<string, CatalogGuard>();
  for (const guard of guards) out.set(guard.key, guard);
  return [...out.values()];
}
