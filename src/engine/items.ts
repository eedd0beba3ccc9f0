// Single-item reads and writes: one storage transaction per write, with a pure decide() that sees
// the current item and returns what to store and what to answer.
import type { StoredItem, Storage } from '../storage/storage.js';
import { readCapacityUnits, writeCapacityUnits } from '../model/capacity-units.js';

export interface WriteOutcome {
  /** The item before the write, when there was one. */
  readonly previous: StoredItem | undefined;
  readonly capacityUnits: number;
}

export interface ReadOutcome {
  readonly item: StoredItem | undefined;
  readonly capacityUnits: number;
}

export async function putItem(storage: Storage, tableId: string, key: Uint8Array, item: StoredItem): Promise<WriteOutcome> {
  return storage.write([{ tableId, key }], ([previous]) => ({
    writes: [item],
    result: { previous, capacityUnits: writeCapacityUnits(previous?.sizeBytes ?? 0, item.sizeBytes) },
  }));
}

export async function deleteItem(storage: Storage, tableId: string, key: Uint8Array): Promise<WriteOutcome> {
  return storage.write([{ tableId, key }], ([previous]) => ({
    // Deleting a missing item writes nothing (and, later, produces no stream record).
    writes: [previous === undefined ? undefined : null],
    result: { previous, capacityUnits: writeCapacityUnits(previous?.sizeBytes ?? 0, 0) },
  }));
}

export async function getItem(storage: Storage, tableId: string, key: Uint8Array, consistent: boolean): Promise<ReadOutcome> {
  const item = await storage.getItem({ tableId, key });
  return { item, capacityUnits: readCapacityUnits(item?.sizeBytes ?? 0, consistent) };
}
