// Several item writes in one storage transaction (BatchWriteItem, TransactWriteItems): each item's
// next state is decided from its current one, and its index entries and item collection follow in
// the same commit. Items of one collection share its record, so their size changes are summed.
import type { AttributeMap } from '../model/attribute-value.js';
import { writeCapacityUnits } from '../model/capacity-units.js';
import type { DerivedWrite, ItemRef, StoredItem, Storage } from '../storage/storage.js';
import type { IndexEntryChange } from './index-history.js';
import { indexWrites, type IndexUnits } from './indexes.js';
import { appendRecords, type ItemChange, type StreamTarget } from './streams/change-records.js';
import { collectionRef, nextCollection, type WriteTarget } from './item-collections.js';

/** An item's next state: a StoredItem (with its parsed form) to put, null to delete, undefined to leave it. */
export interface NextItem {
  readonly next: StoredItem | null | undefined;
  readonly item?: AttributeMap;
}

export interface ItemWrite {
  readonly target: WriteTarget;
  readonly key: Buffer;
  /** Pure; may throw to abandon the whole write. */
  readonly decide: (current: StoredItem | undefined) => NextItem;
}

export interface ItemWriteOutcome {
  readonly previous: StoredItem | undefined;
  /** Whether the item was put or deleted (false: left as it was). */
  readonly written: boolean;
  readonly capacityUnits: number;
  readonly indexUnits: readonly IndexUnits[];
  readonly indexHistory: readonly IndexEntryChange[];
  /** Tables with LSIs: the size of the item's collection after the write. */
  readonly collectionBytes?: number;
}

/**
 * Applies every write or none. `check` runs after every decide, before anything is written, and may
 * throw (a transaction refuses as a whole once it has seen every item).
 */
export async function writeItems(
  storage: Storage, writes: readonly ItemWrite[], check?: (decided: readonly NextItem[]) => void,
  /** Records written with the items (a transaction's token record). */
  also: readonly { readonly ref: ItemRef; readonly next: StoredItem }[] = [],
): Promise<ItemWriteOutcome[]> {
  const refs: ItemRef[] = writes.map((w) => ({ tableId: w.target.tableId, key: w.key }));
  // One ref per collection record, however many items of the collection the write touches.
  const collectionOf: (number | undefined)[] = [];
  const collectionIndex = new Map<string, number>();
  for (const w of writes) {
    const ref = collectionRef(w.target, w.key);
    if (ref === undefined) {
      collectionOf.push(undefined);
      continue;
    }
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
  const streams = new Map<string, { target: StreamTarget; at: number }>();
  for (const w of writes) {
    const stream = w.target.stream;
    if (stream === undefined || streams.has(stream.info.storageId)) continue;
    streams.set(stream.info.storageId, { target: stream, at: refs.length });
    refs.push(stream.headRef);
  }
  for (const a of also) refs.push(a.ref);
  // Every stream of one server reads the same clock; one reading dates all the write's records.
  const [first] = streams.values();
  const now = first === undefined ? 0 : first.target.clock.now();
  const appended = new Set<StreamTarget>();
  const outcome = await storage.write(refs, (current) => {
    const decided = writes.map((w, i) => w.decide(current[i]));
    check?.(decided);
    const derived: DerivedWrite[] = [];
    const deltas = new Map<number, number>();
    const streamChanges = new Map<string, ItemChange[]>();
    const changesOf = (stream: StreamTarget): ItemChange[] => {
      let list = streamChanges.get(stream.info.storageId);
      if (list === undefined) streamChanges.set(stream.info.storageId, (list = []));
      return list;
    };
    const outcomes = writes.map((w, i) => {
      const previous = current[i];
      const { next, item } = decided[i] as NextItem;
      // A delete of a missing item, like a ConditionCheck, writes nothing.
      const written = next !== undefined && !(next === null && previous === undefined);
      let indexUnits: readonly IndexUnits[] = [];
      let indexHistory: readonly IndexEntryChange[] = [];
      let localBytes = 0;
      let before: AttributeMap | undefined;
      let after = item;
      if (written && w.target.indexes.length > 0) {
        before = previous === undefined ? undefined : (JSON.parse(previous.json) as AttributeMap);
        after = next === null ? undefined : item ?? (JSON.parse(next.json) as AttributeMap);
        const changes = indexWrites(w.target.indexes, w.key, before, after, next?.json, previous?.json);
        derived.push(...changes.writes);
        indexUnits = changes.units;
        indexHistory = changes.history;
        localBytes = changes.localBytes;
      }
      const at = collectionOf[i];
      if (at !== undefined && written) deltas.set(at, (deltas.get(at) ?? 0) + (next?.sizeBytes ?? 0) - (previous?.sizeBytes ?? 0) + localBytes);
      const capacityUnits = written ? writeCapacityUnits(previous?.sizeBytes ?? 0, next?.sizeBytes ?? 0) : 0;
      const stream = w.target.stream;
      if (written && stream !== undefined) changesOf(stream).push({ previous, next: next as StoredItem | null, before, after });
      return { previous, written, capacityUnits, indexUnits, indexHistory };
    });
    const itemWrites: (StoredItem | null | undefined)[] = decided.map((d, i) => (outcomes[i]?.written === true ? d.next : undefined));
    const collectionBytes = new Map<number, number>();
    for (let at = writes.length; at < collectionsEnd; at++) {
      const target = writes[collectionOf.indexOf(at)]?.target as WriteTarget;
      const next = nextCollection(target, current[at], deltas.get(at) ?? 0);
      itemWrites.push(next.write);
      collectionBytes.set(at, next.bytes);
    }
    const result: ItemWriteOutcome[] = outcomes.map((o, i) => {
      const at = collectionOf[i];
      return at === undefined ? o : { ...o, collectionBytes: collectionBytes.get(at) as number };
    });
    appended.clear();
    for (const { target, at } of streams.values()) {
      const records = appendRecords(target, current[at], streamChanges.get(target.info.storageId) ?? [], now);
      itemWrites.push(records?.head);
      if (records === undefined) continue;
      derived.push(...records.records);
      appended.add(target);
    }
    for (const a of also) itemWrites.push(a.next);
    return { writes: itemWrites, result, derived };
  });
  for (const stream of appended) stream.committed(stream.info.storageId);
  return outcome;
}
