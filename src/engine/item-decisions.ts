// Pure pieces of an item write's decision, shared by every write (single, batch, transaction): a
// condition judged on the current item, and the item an update makes — checked as DynamoDB checks it.
import { ConditionalCheckFailedException, ValidationException } from '../errors/errors.js';
import { messages } from '../errors/messages.js';
import { applyUpdate, UpdateError, type UpdateFailure } from '../expressions/apply-update.js';
import type { Condition, UpdateAction } from '../expressions/ast.js';
import { evaluateCondition } from '../expressions/evaluate.js';
import type { AttributeMap } from '../model/attribute-value.js';
import { itemSizeBytes, itemSizeBytesMax } from '../model/item-size.js';
import { nestingDepth, nestingDepthMax } from '../model/nesting-depth.js';
import type { StoredItem } from '../model/stored-item.js';
import { ownValue } from '../model/own-properties.js';
import { checkIndexKeys, type IndexDefinition } from './indexes.js';
import type { NextItem } from './item-writer.js';

/** A write's condition, and whether a failure returns the current item (ReturnValuesOnConditionCheckFailure). */
export interface WriteCondition {
  readonly condition: Condition;
  readonly returnItemOnFailure: boolean;
}

export function parseStored(stored: StoredItem | undefined): AttributeMap | undefined {
  return stored === undefined ? undefined : (JSON.parse(stored.json) as AttributeMap);
}

/** Throws ConditionalCheckFailedException when the condition does not hold for the current item. */
export function checkCondition(check: WriteCondition | undefined, item: AttributeMap | undefined): void {
  if (check === undefined || evaluateCondition(check.condition, item)) return;
  const extra = check.returnItemOnFailure && item !== undefined ? { Item: item } : {};
  throw new ConditionalCheckFailedException(messages.conditionalCheckFailed, extra);
}

/** A SET can put a value below others, or copy a deep one deeper: only the attributes set are walked. */
function checkSetDepth(next: AttributeMap, actions: readonly UpdateAction[]): void {
  for (const action of actions) {
    if (action.kind !== 'set') continue;
    const top = ownValue(next, action.path[0] as string);
    if (top !== undefined && nestingDepth(top) > nestingDepthMax) throw new ValidationException(messages.nestingTooDeep);
  }
}

const updateFailures: Readonly<Record<UpdateFailure, string>> = {
  'missing-attribute': messages.missingUpdateAttribute,
  'invalid-path': messages.invalidUpdatePath,
  'operand-type': messages.updateOperandType,
  overflow: messages.numberOverflow,
  underflow: messages.numberUnderflow,
  precision: messages.arithmeticPrecision,
  syntax: messages.updateOperandType,
};

/**
 * What an update makes of the stored item (or of the bare key when there is none), checked as
 * DynamoDB checks it — its paths, operands, depth, index key types and size. Throws ValidationException.
 * Writes nothing (`next` undefined) when there is no item and the update only takes away (REMOVE,
 * DELETE from a set): DynamoDB then creates nothing — no item, no stream record.
 */
export function updatedItem(
  stored: StoredItem | undefined, previous: AttributeMap | undefined, keyAttributes: AttributeMap, actions: readonly UpdateAction[],
  indexes: readonly IndexDefinition[],
): NextItem {
  if (stored === undefined && actions.length > 0 && actions.every((a) => a.kind === 'remove' || a.kind === 'delete')) return { next: undefined };
  let next: AttributeMap;
  try {
    const working = parseStored(stored) ?? (JSON.parse(JSON.stringify(keyAttributes)) as AttributeMap);
    next = applyUpdate(previous ?? keyAttributes, working, actions);
  } catch (error) {
    if (error instanceof UpdateError) throw new ValidationException(updateFailures[error.reason]);
    throw error;
  }
  checkSetDepth(next, actions);
  if (indexes.length > 0) checkIndexKeys(indexes, next, true);
  const sizeBytes = itemSizeBytes(next);
  if (sizeBytes > itemSizeBytesMax) throw new ValidationException(messages.updatedItemTooLarge);
  return { next: { json: JSON.stringify(next), sizeBytes }, item: next, before: previous };
}
