// BatchGetItem: up to 100 keys across tables, each table with its own projection and consistency;
// replies over 16 MB hand the remaining keys back as UnprocessedKeys.
import { keyFromKeyMap } from '../../engine/item-key.js';
import { getItem } from '../../engine/items.js';
import type { Path } from '../../expressions/ast.js';
import { projectItem } from '../../expressions/project.js';
import type { AttributeMap } from '../../model/attribute-value.js';
import type { TableRecord } from '../../model/table.js';
import type { Operation } from '../context.js';
import { ValidationException } from '../../errors/errors.js';
import { messages } from '../../errors/messages.js';
import { normalizeAttributeMap } from '../validate/attribute-value.js';
import { returnConsumedCapacity } from '../validate/common-shapes.js';
import { checkExpressionParameters, resolveExpressions, type ExpressionInput } from '../validate/expression-parameters.js';
import { expressionAttributeNames } from '../validate/item-shapes.js';
import { attributeMap, bool, list, map, namePattern, str, struct, type Members } from '../validate/shape.js';
import { validateInput } from '../validate/validate-input.js';
import type { ReturnConsumedCapacity } from './consumed-capacity.js';
import { consumedCapacity } from './consumed-capacity.js';
import { checkAttributesToGet } from './read-results.js';
import { setOwn } from '../../model/own-properties.js';

/** DynamoDB: BatchGetItem reads at most 100 items. */
export const batchGetKeysMax = 100;
/** DynamoDB: a BatchGetItem reply carries at most 16 MB. */
export const batchGetReplyBytesMax = 16 * 1024 * 1024;

const shape: Members = [
  ['ReturnConsumedCapacity', returnConsumedCapacity],
  ['RequestItems', map(struct('KeysAndAttributes', [
    ['Keys', list(attributeMap(), { notNull: true, lengthMin: 1, lengthMax: batchGetKeysMax })],
    ['AttributesToGet', list(str(), { lengthMin: 1, lengthMax: 255 })],
    ['ConsistentRead', bool()],
    ['ProjectionExpression', str()],
    ['ExpressionAttributeNames', expressionAttributeNames],
  ]), 'com.amazonaws.dynamodb.v20120810.KeysAndAttributes', { notNull: true, lengthMin: 1, keyLengthMin: 3, keyLengthMax: 255, keyPattern: namePattern })],
];

interface KeysAndAttributes extends ExpressionInput {
  readonly Keys: readonly Record<string, unknown>[];
  readonly AttributesToGet?: readonly string[];
  readonly ConsistentRead?: boolean;
}

interface BatchGetInput {
  readonly ReturnConsumedCapacity?: ReturnConsumedCapacity;
  readonly RequestItems: Readonly<Record<string, KeysAndAttributes>>;
}

interface TableRequest {
  readonly name: string;
  readonly request: KeysAndAttributes;
  readonly keys: AttributeMap[];
  readonly projection: readonly Path[] | undefined;
  table?: TableRecord;
  storageKeys?: Buffer[];
}

export const batchGetItem: Operation = async (engine, ctx, body) => {
  const input = validateInput<BatchGetInput>(body, shape);
  const requests: TableRequest[] = [];
  let count = 0;
  for (const [name, request] of Object.entries(input.RequestItems)) {
    checkExpressionParameters(request as KeysAndAttributes & Record<string, unknown>, ['ProjectionExpression'], ['AttributesToGet']);
    checkAttributesToGet(request.AttributesToGet);
    const { projection } = resolveExpressions(request, engine.expressions);
    const seen = new Set<string>();
    const keys = request.Keys.map((k) => {
      const key = normalizeAttributeMap(k);
      const identity = JSON.stringify(Object.entries(key).sort(([a], [b]) => (a < b ? -1 : 1)));
      if (seen.has(identity)) throw new ValidationException(messages.duplicateKeys);
      seen.add(identity);
      count++;
      if (count > batchGetKeysMax) throw new ValidationException(messages.tooManyBatchGetKeys);
      return key;
    });
    requests.push({ name, request, keys, projection: projection ?? request.AttributesToGet?.map((n) => [n]) });
  }
  // Every table and key is checked before anything is read.
  for (const r of requests) {
    r.table = engine.requireUsableTable(ctx.region, r.name);
    const table = r.table;
    r.storageKeys = r.keys.map((k) => keyFromKeyMap(table, k));
  }
  const responses: string[] = [];
  const unprocessed: Record<string, unknown> = {};
  const capacities: Record<string, unknown>[] = [];
  let replyBytes = 0;
  for (const r of requests) {
    const table = r.table as TableRecord;
    const items: string[] = [];
    const leftover: AttributeMap[] = [];
    let units = 0;
    for (const [i, key] of (r.storageKeys as Buffer[]).entries()) {
      if (replyBytes >= batchGetReplyBytesMax) {
        leftover.push(r.keys[i] as AttributeMap);
        continue;
      }
      const outcome = await getItem(engine.storage, table.id, key, r.request.ConsistentRead === true);
      units += outcome.capacityUnits;
      if (outcome.item === undefined) continue;
      const json = r.projection === undefined ? outcome.item.json : JSON.stringify(projectItem(JSON.parse(outcome.item.json) as AttributeMap, r.projection as Path[]));
      replyBytes += outcome.item.sizeBytes;
      items.push(json);
    }
    responses.push(`${JSON.stringify(r.name)}:[${items.join(',')}]`);
    if (leftover.length > 0) setOwn(unprocessed, r.name, { ...r.request, Keys: leftover });
    const capacity = consumedCapacity(input.ReturnConsumedCapacity, table.TableName, units);
    if (capacity !== undefined) capacities.push(capacity);
  }
  const members = [`"Responses":{${responses.join(',')}}`, `"UnprocessedKeys":${JSON.stringify(unprocessed)}`];
  if (capacities.length > 0) members.push(`"ConsumedCapacity":${JSON.stringify(capacities)}`);
  return `{${members.join(',')}}`;
};
