// The key conditions of a Query checked against the key schema it reads — the table's, an index's,
// or a GSI's multi-attribute key (up to four partition and four sort key attributes) — together
// with its starting key, in DynamoDB's order. The result is what the storage range is built from.
import { keyFromKeyMap } from '../../engine/item-key.js';
import type { IndexDefinition } from '../../engine/indexes.js';
import type { KeyCondition } from '../../expressions/key-condition.js';
import type { AttributeMap, AttributeValue } from '../../model/attribute-value.js';
import { keyValueBytes } from '../../model/key-encoding.js';
import { sortKeyMatches, type SortKeyCondition } from '../../model/key-range.js';
import type { KeyAttribute, TableRecord } from '../../model/table.js';
import { ValidationException } from '../../errors/errors.js';
import { messages } from '../../errors/messages.js';
import { checkIndexStartKey, tableStartKey } from './index-reads.js';
import { ownValue } from '../../model/own-properties.js';

export interface KeySchemaAttributes {
  readonly hashKeys: readonly KeyAttribute[];
  readonly rangeKeys: readonly KeyAttribute[];
}

export interface KeyPart {
  readonly attribute: KeyAttribute;
  readonly value: AttributeValue;
}

export interface RangePart {
  readonly attribute: KeyAttribute;
  readonly condition: SortKeyCondition;
}

export interface QueryKey {
  /** One value per partition key attribute, in key-schema order. */
  readonly hash: readonly KeyPart[];
  /** Equalities on the leading sort key attributes before `range` (multi-attribute keys only). */
  readonly equalRanges: readonly KeyPart[];
  readonly range?: RangePart;
}

/** Checks the key conditions (and the starting key) against the key schema read, in DynamoDB's order. */
export function checkQueryKey(
  table: TableRecord, index: IndexDefinition | undefined, schema: KeySchemaAttributes,
  conditions: readonly KeyCondition[], startKey: AttributeMap | undefined,
): QueryKey {
  const simple = schema.hashKeys.length === 1 && schema.rangeKeys.length <= 1;
  if (startKey !== undefined) {
    if (index !== undefined) checkIndexStartKey(table, index, startKey);
    else if (Object.keys(startKey).length !== schema.hashKeys.length + schema.rangeKeys.length) throw new ValidationException(messages.invalidStartKey());
  }
  const key = simple ? singleAttributeKey(schema, conditions, startKey) : multiAttributeKey(schema, conditions);
  // An empty string names no partition (recorded from AWS); an empty binary simply matches nothing.
  const empty = key.hash.find((part) => 'S' in part.value && part.value.S === '');
  if (empty !== undefined) throw new ValidationException(messages.emptyKeyInItem(empty.attribute.name, 'string'));
  if (startKey !== undefined) checkStartKey(table, index, key, startKey);
  return key;
}

function singleAttributeKey(schema: KeySchemaAttributes, conditions: readonly KeyCondition[], startKey: AttributeMap | undefined): QueryKey {
  const hashAttribute = schema.hashKeys[0] as KeyAttribute;
  const rangeAttribute = schema.rangeKeys[0];
  let hash: KeyPart | undefined;
  let range: RangePart | undefined;
  for (const attribute of rangeAttribute === undefined ? [hashAttribute] : [hashAttribute, rangeAttribute]) {
    const isHash = attribute === hashAttribute;
    if (startKey !== undefined && ownValue(startKey, attribute.name) === undefined) throw new ValidationException(messages.invalidStartKey());
    if (isHash && rangeAttribute === undefined && conditions.length > 1) throw new ValidationException(messages.keyConditionNotSupported);
    const condition = conditions.find((c) => c.name === attribute.name);
    if (condition === undefined) {
      if (isHash || conditions.length > 1) throw new ValidationException(messages.missedKeyElement(attribute.name));
      continue;
    }
    if (condition.values.some((v) => !(attribute.type in v))) throw new ValidationException(messages.conditionTypeMismatch);
    if (isHash && condition.operator !== 'EQ') throw new ValidationException(messages.keyConditionNotSupported);
    if (isHash) hash = { attribute, value: condition.values[0] as AttributeValue };
    else range = { attribute, condition: { operator: condition.operator, values: condition.values } };
  }
  const hashParts = [hash as KeyPart];
  return range === undefined ? { hash: hashParts, equalRanges: [] } : { hash: hashParts, equalRanges: [], range };
}

/**
 * A multi-attribute key: an equality on every partition key attribute, and on the sort key
 * attributes a prefix without gaps in which only the last may carry a range condition.
 */
function multiAttributeKey(schema: KeySchemaAttributes, conditions: readonly KeyCondition[]): QueryKey {
  if (conditions.length > schema.hashKeys.length + schema.rangeKeys.length) throw new ValidationException(messages.keyConditionCount);
  const byName = new Map(conditions.map((c) => [c.name, c]));
  const hash: KeyPart[] = [];
  for (const attribute of schema.hashKeys) {
    const condition = byName.get(attribute.name);
    if (condition === undefined) throw new ValidationException(messages.missedKeyElement(attribute.name));
    if (condition.values.some((v) => !(attribute.type in v))) throw new ValidationException(messages.conditionTypeMismatch);
    if (condition.operator !== 'EQ') throw new ValidationException(messages.keyConditionNotSupported);
    hash.push({ attribute, value: condition.values[0] as AttributeValue });
  }
  const keyNames = new Set([...schema.hashKeys, ...schema.rangeKeys].map((k) => k.name));
  if (conditions.some((c) => !keyNames.has(c.name))) {
    const missed = schema.rangeKeys.find((k) => !byName.has(k.name)) as KeyAttribute;
    throw new ValidationException(messages.missedKeyElement(missed.name));
  }
  let last = -1;
  schema.rangeKeys.forEach((k, i) => {
    if (byName.has(k.name)) last = i;
  });
  if (last < 0) return { hash, equalRanges: [] };
  const lastAttribute = schema.rangeKeys[last] as KeyAttribute;
  const withoutEquality = schema.rangeKeys.slice(0, last).filter((k) => byName.get(k.name)?.operator !== 'EQ');
  if (withoutEquality.length > 0) throw new ValidationException(messages.rangeKeyGap(withoutEquality.map((k) => k.name), lastAttribute.name));
  const equalRanges: KeyPart[] = [];
  for (const attribute of schema.rangeKeys.slice(0, last + 1)) {
    const condition = byName.get(attribute.name) as KeyCondition;
    if (condition.values.some((v) => !(attribute.type in v))) throw new ValidationException(messages.conditionTypeMismatch);
    if (attribute !== lastAttribute) equalRanges.push({ attribute, value: condition.values[0] as AttributeValue });
  }
  const final = byName.get(lastAttribute.name) as KeyCondition;
  return { hash, equalRanges, range: { attribute: lastAttribute, condition: { operator: final.operator, values: final.values } } };
}

function sameValue(part: KeyPart, startKey: AttributeMap): boolean {
  return keyValueBytes(part.attribute.type, ownValue(startKey, part.attribute.name) as AttributeValue).equals(keyValueBytes(part.attribute.type, part.value));
}

/** The starting key must be a valid key inside the range the conditions select. */
function checkStartKey(table: TableRecord, index: IndexDefinition | undefined, key: QueryKey, startKey: AttributeMap): void {
  if (index !== undefined) tableStartKey(table, startKey);
  else {
    try {
      keyFromKeyMap(table, startKey);
    } catch (error) {
      if (error instanceof ValidationException) throw new ValidationException(messages.invalidStartKey(error.message));
      throw error;
    }
  }
  const sameHash = key.hash.every((part) => sameValue(part, startKey));
  if (key.range === undefined) {
    if (!sameHash) throw new ValidationException(messages.startKeyOutsideQuery);
    return;
  }
  const inRange = key.equalRanges.every((part) => sameValue(part, startKey))
    && sortKeyMatches(key.range.attribute.type, ownValue(startKey, key.range.attribute.name) as AttributeValue, key.range.condition);
  if (!inRange) throw new ValidationException(messages.startKeyRangeMismatch);
  if (!sameHash) throw new ValidationException(messages.startKeySingleRow);
}
