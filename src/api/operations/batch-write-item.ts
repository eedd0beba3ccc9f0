// BatchWriteItem: up to 25 puts and deletes across tables, every request checked before any is
// applied, then applied in one storage transaction (one durable commit for the batch).
import { keyFromItem, keyFromKeyMap } from '../../engine/item-key.js';
import type { AttributeMap } from '../../model/attribute-value.js';
import { writeCapacityUnits } from '../../model/capacity-units.js';
import { itemSizeBytes, itemSizeBytesMax } from '../../model/item-size.js';
import type { Operation } from '../context.js';
import { ValidationException } from '../../errors/errors.js';
import { messages } from '../../errors/messages.js';
import { normalizeAttributeMap, normalizeItem } from '../validate/attribute-value.js';
import { returnConsumedCapacity, returnItemCollectionMetrics } from '../validate/common-shapes.js';
import { attributeMap, list, map, namePattern, struct, type Members } from '../validate/shape.js';
import { validateInput } from '../validate/validate-input.js';
import { consumedCapacity, type IndexCapacity, type ReturnConsumedCapacity } from './consumed-capacity.js';
import { checkIndexKeys } from '../../engine/indexes.js';
import { writeItems, type ItemWriteOutcome, type NextItem } from '../../engine/write-items.js';
import type { TableRecord } from '../../model/table.js';
import { collectionMetrics, type ReturnItemCollectionMetrics } from './item-collection-metrics.js';

/** DynamoDB: BatchWriteItem takes at most 25 put or delete requests. */
export const batchWriteRequestsMax = 25;

const shape: Members = [
  ['ReturnConsumedCapacity', returnConsumedCapacity],
  ['ReturnItemCollectionMetrics', returnItemCollectionMetrics],
  ['RequestItems', map(list(struct('WriteRequest', [
    ['DeleteRequest', struct('DeleteRequest', [['Key', attributeMap({ notNull: true })]])],
    ['PutRequest', struct('PutRequest', [['Item', attributeMap({ notNull: true })]])],
  ]), { lengthMin: 1, lengthMax: batchWriteRequestsMax }), 'java.util.List<com.amazonaws.dynamodb.v20120810.WriteRequest>', {
    notNull: true, lengthMin: 1, keyLengthMin: 3, keyLengthMax: 255, keyPattern: namePattern,
  })],
];

interface WriteRequest {
  readonly PutRequest?: { readonly Item: Record<string, unknown> };
  readonly DeleteRequest?: { readonly Key: Record<string, unknown> };
}

interface BatchWriteInput {
  readonly ReturnConsumedCapacity?: ReturnConsumedCapacity;
  readonly ReturnItemCollectionMetrics?: ReturnItemCollectionMetrics;
  readonly RequestItems: Readonly<Record<string, readonly WriteRequest[]>>;
}

interface PlannedWrite {
  readonly table: TableRecord;
  readonly key: Buffer;
  readonly keyItem: AttributeMap;
  readonly next: NextItem;
}

export const batchWriteItem: Operation = async (engine, ctx, body) => {
  const input = validateInput<BatchWriteInput>(body, shape);
  const normalized: { tableName: string; put?: AttributeMap; del?: AttributeMap }[] = [];
  for (const [tableName, requests] of Object.entries(input.RequestItems)) {
    if (requests.some((r) => r.PutRequest === undefined && r.DeleteRequest === undefined)) throw new ValidationException(messages.severalDatatypes);
    for (const r of requests) {
      if (r.PutRequest !== undefined) {
        const item = normalizeItem(r.PutRequest.Item);
        if (itemSizeBytes(item) > itemSizeBytesMax) throw new ValidationException(messages.itemTooLarge);
        normalized.push({ tableName, put: item });
      } else if (r.DeleteRequest !== undefined) {
        normalized.push({ tableName, del: normalizeAttributeMap(r.DeleteRequest.Key) });
      }
    }
  }
  if (normalized.length > batchWriteRequestsMax) throw new ValidationException(messages.tooManyBatchWrites);
  const planned: PlannedWrite[] = [];
  const seen = new Set<string>();
  for (const r of normalized) {
    const table = engine.requireUsableTable(ctx.region, r.tableName);
    let key: Buffer;
    try {
      key = r.put !== undefined ? keyFromItem(table, r.put) : keyFromKeyMap(table, r.del as AttributeMap);
    } catch (error) {
      // A put's missing or mistyped key is reported as a key mismatch in batches, as DynamoDB does.
      if (error instanceof ValidationException && /Missing the key|Type mismatch for key/.test(error.message)) throw new ValidationException(messages.keySchemaMismatch);
      throw error;
    }
    const target = engine.writeTarget(table);
    if (r.put !== undefined && target.indexes.length > 0) checkIndexKeys(target.indexes, r.put);
    const identity = `${table.id}:${key.toString('hex')}`;
    if (seen.has(identity)) throw new ValidationException(messages.duplicateKeys);
    seen.add(identity);
    const next: NextItem = r.put === undefined ? { next: null } : { next: { json: JSON.stringify(r.put), sizeBytes: itemSizeBytes(r.put) }, item: r.put };
    planned.push({ table, key, keyItem: r.put ?? (r.del as AttributeMap), next });
  }
  const outcomes = await writeItems(engine.storage, planned.map((p) => ({ target: engine.writeTarget(p.table), key: p.key, decide: () => p.next })));
  const perTable = new Map<string, { table: number; indexes: IndexCapacity[] }>();
  const metrics = new Map<string, Record<string, unknown>[]>();
  engine.indexHistory.record(outcomes.flatMap((o) => o.indexHistory));
  planned.forEach((p, i) => {
    const spent = outcomes[i] as ItemWriteOutcome;
    const sum = perTable.get(p.table.TableName) ?? { table: 0, indexes: [] };
    // A delete of a missing item is charged one unit all the same.
    sum.table += spent.written ? spent.capacityUnits : writeCapacityUnits(0, 0);
    sum.indexes.push(...spent.indexUnits);
    perTable.set(p.table.TableName, sum);
    const collection = collectionMetrics(input.ReturnItemCollectionMetrics, p.table, p.keyItem, spent.collectionBytes);
    if (collection !== undefined) metrics.set(p.table.TableName, [...(metrics.get(p.table.TableName) ?? []), collection]);
  });
  const members = ['"UnprocessedItems":{}'];
  const capacities = [...perTable].map(([name, sum]) => consumedCapacity(input.ReturnConsumedCapacity, name, sum.table, sum.indexes)).filter((c) => c !== undefined);
  if (capacities.length > 0) members.push(`"ConsumedCapacity":${JSON.stringify(capacities)}`);
  if (metrics.size > 0) members.push(`"ItemCollectionMetrics":${JSON.stringify(Object.fromEntries(metrics))}`);
  return `{${members.join(',')}}`;
};
