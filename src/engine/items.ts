// Single-item reads and writes: one storage transaction per write, with a pure decide() that sees
// the current item and returns what to store and what to answer.
import { ConditionalCheckFailedException, ValidationException } from '../errors/errors.js';
import { messages } from '../errors/messages.js';
import { applyUpdate, UpdateError, type UpdateFailure } from '../expressions/apply-update.js';
import type { Condition, UpdateAction } from '../expressions/ast.js';
import { evaluateCondition } from '../expressions/evaluate.js';
import type { AttributeMap } from '../model/attribute-value.js';
import { readCapacityUnits, writeCapacityUnits } from '../model/capacity-units.js';
import { itemSizeBytes, itemSizeBytesMax } from '../model/item-size.js';
import { nestingDepth, nestingDepthMax } from '../model/nesting-depth.js';
import type { DerivedWrite, ItemRef, StoredItem, Storage } from '../storage/storage.js';
import type { IndexEntryChange } from './index-history.js';
import { checkIndexKeys, indexWrites, type IndexChanges, type IndexUnits } from './indexes.js';
import { appendRecords, type ChangePrincipal } from './streams/change-records.js';
import { collectionRef, nextCollection, type WriteTarget } from './item-collections.js';

const noIndexChanges: IndexChanges = { writes: [], units: [], history: [], localBytes: 0 };

/** A write's condition, and whether a failure returns the current item (ReturnValuesOnConditionCheckFailure). */
export interface WriteCondition {
  readonly condition: Condition;
  readonly returnItemOnFailure: boolean;
}

function parseStored(stored: StoredItem | undefined): AttributeMap | undefined {
  return stored === undefined ? undefined : (JSON.parse(stored.json) as AttributeMap);
}

/** Pure: throws ConditionalCheckFailedException when the condition does not hold for the current item. */
export function checkCondition(check: WriteCondition | undefined, item: AttributeMap | undefined): void {
  if (check === undefined || evaluateCondition(check.condition, item)) return;
  const extra = check.returnItemOnFailure && item !== undefined ? { Item: item } : {};
  throw new ConditionalCheckFailedException(messages.conditionalCheckFailed, extra);
}

export interface WriteOutcome {
  /** The item before the write, when there was one. */
  readonly previous: StoredItem | undefined;
  /** The table's write capacity; the indexes' is in indexUnits. */
  readonly capacityUnits: number;
  readonly indexUnits: readonly IndexUnits[];
  readonly indexHistory: readonly IndexEntryChange[];
  /** Tables with LSIs: the size of the item's collection after the write. */
  readonly collectionBytes?: number;
}

export interface ReadOutcome {
  readonly item: StoredItem | undefined;
  readonly capacityUnits: number;
}

/** One item write as decided: the item's next state, its collection record's, its index entries. */
interface ItemDecision<T> {
  /** undefined leaves the item as it is, null deletes it. */
  readonly next: StoredItem | null | undefined;
  /** Parsed forms of the item before and after, when the decision has them. */
  readonly before?: AttributeMap | undefined;
  readonly after?: AttributeMap | undefined;
  readonly collection?: StoredItem | null | undefined;
  readonly derived: readonly DerivedWrite[];
  readonly result: T;
}

/**
 * Runs one item's write in one storage transaction: the item, for a table with LSIs its collection
 * record, and for a table with a stream the stream's head and the change record. Readers of the
 * stream are told once the commit is durable.
 */
async function writeOne<T>(
  storage: Storage, target: WriteTarget, key: Uint8Array,
  decide: (previous: StoredItem | undefined, collection: StoredItem | undefined) => ItemDecision<T>, principal?: ChangePrincipal,
): Promise<T> {
  const collectionAt = collectionRef(target, key);
  const refs: ItemRef[] = [{ tableId: target.tableId, key }];
  if (collectionAt !== undefined) refs.push(collectionAt);
  const stream = target.stream;
  if (stream !== undefined) refs.push(stream.headRef);
  const now = stream === undefined ? 0 : stream.clock.now();
  let appended = false;
  const result = await storage.write(refs, (current) => {
    const previous = current[0];
    const decision = decide(previous, collectionAt === undefined ? undefined : current[1]);
    const writes: (StoredItem | null | undefined)[] = [decision.next];
    if (collectionAt !== undefined) writes.push(decision.collection);
    let derived = decision.derived;
    appended = false;
    if (stream !== undefined) {
      const change = decision.next === undefined ? undefined : { previous, next: decision.next, before: decision.before, after: decision.after };
      const records = change === undefined ? undefined : appendRecords(stream, current[refs.length - 1], [change], now, principal);
      writes.push(records?.head);
      if (records !== undefined) {
        derived = [...derived, ...records.records];
        appended = true;
      }
    }
    return { writes, result: decision.result, derived };
  });
  if (appended) stream?.committed(stream.info.storageId);
  return result;
}

/** A table with LSIs: its collection's new size (refused past the limit) after the item changed by `itemDelta` bytes. */
function collectionWrite(target: WriteTarget, collection: StoredItem | undefined, itemDelta: number, changes: IndexChanges): { collection?: StoredItem | null | undefined; collectionBytes?: number } {
  if (target.collections === undefined) return {};
  const next = nextCollection(target, collection, itemDelta + changes.localBytes);
  return { collection: next.write, collectionBytes: next.bytes };
}

export async function putItem(
  storage: Storage, target: WriteTarget, key: Uint8Array, item: StoredItem, check?: WriteCondition, parsed?: AttributeMap,
): Promise<WriteOutcome> {
  const { indexes } = target;
  const needsBefore = check !== undefined || indexes.length > 0;
  return writeOne(storage, target, key, (previous, record) => {
    const before = needsBefore ? parseStored(previous) : undefined;
    if (check !== undefined) checkCondition(check, before);
    const after = parsed ?? (indexes.length > 0 ? (JSON.parse(item.json) as AttributeMap) : undefined);
    const changes = indexes.length === 0 ? noIndexChanges : indexWrites(indexes, key, before, after, item.json, previous?.json);
    const side = collectionWrite(target, record, item.sizeBytes - (previous?.sizeBytes ?? 0), changes);
    return {
      next: item, before, after, collection: side.collection, derived: changes.writes,
      result: {
        previous, capacityUnits: writeCapacityUnits(previous?.sizeBytes ?? 0, item.sizeBytes), indexUnits: changes.units, indexHistory: changes.history,
        ...(side.collectionBytes === undefined ? {} : { collectionBytes: side.collectionBytes }),
      },
    };
  });
}

export async function deleteItem(
  storage: Storage, target: WriteTarget, key: Uint8Array, check?: WriteCondition, principal?: ChangePrincipal,
): Promise<WriteOutcome> {
  const { indexes } = target;
  return writeOne(storage, target, key, (previous, record) => {
    const before = check !== undefined || indexes.length > 0 ? parseStored(previous) : undefined;
    if (check !== undefined) checkCondition(check, before);
    const changes = indexes.length === 0 || before === undefined ? noIndexChanges : indexWrites(indexes, key, before, undefined, undefined, previous?.json);
    const side = collectionWrite(target, record, -(previous?.sizeBytes ?? 0), changes);
    return {
      // Deleting a missing item writes nothing (and produces no stream record).
      next: previous === undefined ? undefined : null, before, collection: side.collection, derived: changes.writes,
      result: {
        previous, capacityUnits: writeCapacityUnits(previous?.sizeBytes ?? 0, 0), indexUnits: changes.units, indexHistory: changes.history,
        ...(side.collectionBytes === undefined ? {} : { collectionBytes: side.collectionBytes }),
      },
    };
  }, principal);
}

export async function getItem(storage: Storage, tableId: string, key: Uint8Array, consistent: boolean): Promise<ReadOutcome> {
  const item = await storage.getItem({ tableId, key });
  return { item, capacityUnits: readCapacityUnits(item?.sizeBytes ?? 0, consistent) };
}

export interface UpdateOutcome {
  readonly previous: AttributeMap | undefined;
  readonly next: AttributeMap;
  readonly capacityUnits: number;
  readonly indexUnits: readonly IndexUnits[];
  readonly indexHistory: readonly IndexEntryChange[];
  readonly collectionBytes?: number;
}

/** A SET can put a value below others, or copy a deep one deeper: only the attributes set are walked. */
function checkSetDepth(next: AttributeMap, actions: readonly UpdateAction[]): void {
  for (const action of actions) {
    if (action.kind !== 'set') continue;
    const top = next[action.path[0] as string];
    if (top !== undefined && nestingDepth(top) > nestingDepthMax) throw new ValidationException(messages.nestingTooDeep);
  }
}

const updateFailures: Readonly<Record<UpdateFailure, string>> = {
  'missing-attribute': messages.missingUpdateAttribute,
  'invalid-path': messages.invalidUpdatePath,
  'operand-type': messages.updateOperandType,
  overflow: messages.numberOverflow,
  underflow: messages.numberUnderflow,
  precision: messages.numberPrecision,
  syntax: messages.updateOperandType,
};

/**
 * UpdateItem: the condition sees the current item; the actions apply to it, or to the bare key
 * when there is none (UpdateItem creates the item). Everything is decided inside the transaction.
 */
export async function updateItem(
  storage: Storage, target: WriteTarget, key: Uint8Array, keyAttributes: AttributeMap, actions: readonly UpdateAction[], check?: WriteCondition,
): Promise<UpdateOutcome> {
  const { indexes } = target;
  return writeOne(storage, target, key, (stored, record) => {
    const previous = parseStored(stored);
    checkCondition(check, previous);
    const { next, json, sizeBytes } = updatedItem(stored, previous, keyAttributes, actions, target);
    const changes = indexes.length === 0 ? noIndexChanges : indexWrites(indexes, key, previous, next, json, stored?.json);
    const side = collectionWrite(target, record, sizeBytes - (stored?.sizeBytes ?? 0), changes);
    return {
      next: { json, sizeBytes }, before: previous, after: next, collection: side.collection, derived: changes.writes,
      result: {
        previous, next, capacityUnits: writeCapacityUnits(stored?.sizeBytes ?? 0, sizeBytes), indexUnits: changes.units, indexHistory: changes.history,
        ...(side.collectionBytes === undefined ? {} : { collectionBytes: side.collectionBytes }),
      },
    };
  });
}

/**
 * Pure: the item an update makes of the stored one (or of the bare key when there is none), checked
 * as DynamoDB checks it — its paths, operands, depth, index key types and size. Throws ValidationException.
 */
export function updatedItem(
  stored: StoredItem | undefined, previous: AttributeMap | undefined, keyAttributes: AttributeMap, actions: readonly UpdateAction[], target: WriteTarget,
): { next: AttributeMap; json: string; sizeBytes: number } {
  let next: AttributeMap;
  try {
    const working = parseStored(stored) ?? (JSON.parse(JSON.stringify(keyAttributes)) as AttributeMap);
    next = applyUpdate(previous ?? keyAttributes, working, actions);
  } catch (error) {
    if (error instanceof UpdateError) throw new ValidationException(updateFailures[error.reason]);
    throw error;
  }
  checkSetDepth(next, actions);
  if (target.indexes.length > 0) checkIndexKeys(target.indexes, next, true);
  const sizeBytes = itemSizeBytes(next);
  if (sizeBytes > itemSizeBytesMax) throw new ValidationException(messages.updatedItemTooLarge);
  return { next, json: JSON.stringify(next), sizeBytes };
}
