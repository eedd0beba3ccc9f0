// Checks a request's key (Key of GetItem/DeleteItem, or the key attributes of an Item) against the
// table's schema with DynamoDB's messages, and builds the item's storage key.
import { ValidationException } from '../errors/errors.js';
import { messages } from '../errors/messages.js';
import type { AttributeMap, AttributeValue } from '../model/attribute-value.js';
import { ownValue, setOwn } from '../model/own-properties.js';
import { itemKey, keyValueBytes } from '../model/key-encoding.js';
import { primaryKey, type KeyAttribute, type TableRecord } from '../model/table.js';

/** DynamoDB: "The maximum length of a partition key value is 2048 bytes". */
export const partitionKeyBytesMax = 2048;
/** DynamoDB: "The maximum length of a sort key value is 1024 bytes". */
export const sortKeyBytesMax = 1024;

/** From GetItem/DeleteItem's Key: exactly the key attributes, with the declared types. */
export function keyFromKeyMap(table: TableRecord, key: AttributeMap): Buffer {
  const schema = primaryKey(table);
  const count = Object.keys(key).length;
  if (count !== (schema.range === undefined ? 1 : 2)) throw new ValidationException(messages.keySchemaMismatch);
  const part = (attr: KeyAttribute, isHash: boolean): Buffer => {
    const value = ownValue(key, attr.name);
    if (value === undefined || !(attr.type in value)) throw new ValidationException(messages.keySchemaMismatch);
    return checkedBytes(attr, value, isHash, messages.emptyKeyInKey);
  };
  const hash = part(schema.hash, true);
  return itemKey(hash, schema.range === undefined ? undefined : part(schema.range, false));
}

/** From PutItem's Item: the key attributes must be present with the declared types. */
export function keyFromItem(table: TableRecord, item: AttributeMap): Buffer {
  const schema = primaryKey(table);
  const part = (attr: KeyAttribute, isHash: boolean): Buffer => {
    const value = ownValue(item, attr.name);
    if (value === undefined) throw new ValidationException(messages.missingKey(attr.name));
    if (!(attr.type in value)) throw new ValidationException(messages.keyTypeMismatch(attr.name, attr.type, Object.keys(value)[0] ?? ''));
    return checkedBytes(attr, value, isHash, messages.emptyKeyInItem);
  };
  const hash = part(schema.hash, true);
  return itemKey(hash, schema.range === undefined ? undefined : part(schema.range, false));
}

/** The key attributes of an item, as DynamoDB returns a key. */
export function keyAttributes(table: TableRecord, item: AttributeMap): AttributeMap {
  const schema = primaryKey(table);
  const out: Record<string, AttributeValue> = {};
  setOwn(out, schema.hash.name, ownValue(item, schema.hash.name) as AttributeValue);
  if (schema.range !== undefined) setOwn(out, schema.range.name, ownValue(item, schema.range.name) as AttributeValue);
  return out;
}

function checkedBytes(
  attr: KeyAttribute,
  value: AttributeValue,
  isHash: boolean,
  emptyMessage: (name: string, kind: 'string' | 'binary') => string,
): Buffer {
  const bytes = keyValueBytes(attr.type, value);
  if (attr.type !== 'N' && bytes.length === 0) throw new ValidationException(emptyMessage(attr.name, attr.type === 'S' ? 'string' : 'binary'));
  if (attr.type !== 'N') {
    if (isHash && bytes.length > partitionKeyBytesMax) throw new ValidationException(messages.hashKeyTooLarge);
    if (!isHash && bytes.length > sortKeyBytesMax) throw new ValidationException(messages.rangeKeyTooLarge);
  }
  return bytes;
}
