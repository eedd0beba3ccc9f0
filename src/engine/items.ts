// Single-item reads and writes: one storage transaction per write, with a pure decide() that sees
// the current item and returns what to store and what to answer.
import { ConditionalCheckFailedException } from '../api/errors.js';
import { messages } from '../api/messages.js';
import type { Condition } from '../expressions/ast.js';
import { evaluateCondition } from '../expressions/evaluate.js';
import type { AttributeMap } from '../model/attribute-value.js';
import type { StoredItem, Storage } from '../storage/storage.js';
import { readCapacityUnits, writeCapacityUnits } from '../model/capacity-units.js';

/** A write's condition, and whether a failure returns the current item (ReturnValuesOnConditionCheckFailure). */
export interface WriteCondition {
  readonly condition: Condition;
  readonly returnItemOnFailure: boolean;
}

/** Pure: throws ConditionalCheckFailedException when the condition does not hold for `previous`. */
function checkCondition(check: WriteCondition | undefined, previous: StoredItem | undefined): void {
  if (check === undefined) return;
  const item = previous === undefined ? undefined : (JSON.parse(previous.json) as AttributeMap);
  if (evaluateCondition(check.condition, item)) return;
  const extra = check.returnItemOnFailure && item !== undefined ? { Item: item } : {};
  throw new ConditionalCheckFailedException(messages.conditionalCheckFailed, extra);
}

export interface WriteOutcome {
  /** The item before the write, when there was one. */
  readonly previous: StoredItem | undefined;
  readonly capacityUnits: number;
}

export interface ReadOutcome {
  readonly item: StoredItem | undefined;
  readonly capacityUnits: number;
}

export async function putItem(storage: Storage, tableId: string, key: Uint8Array, item: StoredItem, check?: WriteCondition): Promise<WriteOutcome> {
  return storage.write([{ tableId, key }], ([previous]) => {
    checkCondition(check, previous);
    return {
      writes: [item],
      result: { previous, capacityUnits: writeCapacityUnits(previous?.sizeBytes ?? 0, item.sizeBytes) },
    };
  });
}

export async function deleteItem(storage: Storage, tableId: string, key: Uint8Array, check?: WriteCondition): Promise<WriteOutcome> {
  return storage.write([{ tableId, key }], ([previous]) => {
    checkCondition(check, previous);
    return {
      // Deleting a missing item writes nothing (and, later, produces no stream record).
      writes: [previous === undefined ? undefined : null],
      result: { previous, capacityUnits: writeCapacityUnits(previous?.sizeBytes ?? 0, 0) },
    };
  });
}

export async function getItem(storage: Storage, tableId: string, key: Uint8Array, consistent: boolean): Promise<ReadOutcome> {
  const item = await storage.getItem({ tableId, key });
  return { item, capacityUnits: readCapacityUnits(item?.sizeBytes ?? 0, consistent) };
}
