// BatchWriteItem: up to 25 puts and deletes across tables, every request checked before any is
// applied, then applied in one storage transaction (one durable commit for the batch).
import { admitBatch } from '../throttling.js';
import { setOwn } from '../../model/own-properties.js';
import type { AttributeMap } from '../../model/attribute-value.js';
import { itemSizeBytes, itemSizeBytesMax } from '../../model/item-size.js';
import type { BatchWriteRequest } from '../../engine/item-service.js';
import { operation, tableArn } from '../operation.js';
import { ValidationException } from '../../errors/errors.js';
import { messages } from '../../errors/messages.js';
import { normalizeAttributeMap, normalizeItem } from '../validate/attribute-value.js';
import { returnConsumedCapacity, returnItemCollectionMetrics } from '../validate/common-shapes.js';
import { attributeMap, list, map, members, namePattern, struct } from '../validate/shape.js';
import { consumedCapacity, usageOf, type IndexCapacity } from './consumed-capacity.js';
import { collectionMetrics } from './item-collection-metrics.js';
import { itemKeys, leadingKeys, withKeys } from '../condition-keys.js';

/** DynamoDB: BatchWriteItem takes at most 25 put or delete requests. */
export const batchWriteRequestsMax = 25;

export const batchWriteItem = operation({
  name: 'BatchWriteItem',
  kind: 'write',
  members: members([
    ['ReturnConsumedCapacity', returnConsumedCapacity],
    ['ReturnItemCollectionMetrics', returnItemCollectionMetrics],
    ['RequestItems', map(list(struct('WriteRequest', [
      ['DeleteRequest', struct('DeleteRequest', [['Key', attributeMap({ notNull: true })]])],
      ['PutRequest', struct('PutRequest', [['Item', attributeMap({ notNull: true })]])],
    ]), { lengthMin: 1, lengthMax: batchWriteRequestsMax }), 'java.util.List<com.amazonaws.dynamodb.v20120810.WriteRequest>', {
      notNull: true, lengthMin: 1, keyLengthMin: 3, keyLengthMax: 255, keyPattern: namePattern, keysOrTableArn: true,
    })],
  ]),
  permissions: (input, ctx, services) => Object.entries(input.RequestItems).map(([name, requests]) => withKeys({ action: 'dynamodb:BatchWriteItem', resource: tableArn(ctx, name) }, itemKeys({
    leading: leadingKeys(services, ctx, name, requests.map((r) => r.PutRequest?.Item ?? r.DeleteRequest?.Key)),
    attributes: requests.flatMap((r) => Object.keys(r.PutRequest?.Item ?? {})), returnConsumedCapacity: input.ReturnConsumedCapacity,
  }))),
  async execute({ engine }, ctx, input) {
    const normalized: BatchWriteRequest[] = [];
    /** Each normalized request's entry as sent (handed back as it came when unprocessed). */
    const sent: unknown[] = [];
    for (const [tableName, requests] of Object.entries(input.RequestItems)) {
      if (requests.some((r) => r.PutRequest === undefined && r.DeleteRequest === undefined)) throw new ValidationException(messages.severalDatatypes);
      for (const r of requests) {
        if (r.PutRequest !== undefined) {
          const item = normalizeItem(r.PutRequest.Item);
          if (itemSizeBytes(item) > itemSizeBytesMax) throw new ValidationException(messages.itemTooLarge);
          normalized.push({ tableName, put: item });
          sent.push(r);
        } else if (r.DeleteRequest !== undefined) {
          normalized.push({ tableName, delete: normalizeAttributeMap(r.DeleteRequest.Key) });
          sent.push(r);
        }
      }
    }
    if (normalized.length > batchWriteRequestsMax) throw new ValidationException(messages.tooManyBatchWrites);
    // A throttled table's requests come back unprocessed (--enforce-capacity); the others are written.
    const admitted = admitBatch(engine, ctx.region, Object.keys(input.RequestItems), 'write');
    const unprocessed: Record<string, unknown> = {};
    for (const name of Object.keys(input.RequestItems)) if (!admitted.has(name)) setOwn(unprocessed, name, input.RequestItems[name]);
    // So do the requests whose key's partition is spent, table by table.
    const spent = engine.items.spentWrites(ctx.region, normalized);
    const served = normalized.filter((r, i) => admitted.has(r.tableName) && !spent.has(i));
    normalized.forEach((r, i) => {
      if (!spent.has(i) || !admitted.has(r.tableName)) return;
      const own = Object.hasOwn(unprocessed, r.tableName) ? unprocessed[r.tableName] as unknown[] : [];
      setOwn(unprocessed, r.tableName, [...own, sent[i]]);
    });
    const outcomes = served.length === 0 ? [] : await engine.items.batchWrite(ctx.region, served);
    const perTable = new Map<string, { table: number; indexes: IndexCapacity[] }>();
    const metrics = new Map<string, Record<string, unknown>[]>();
    for (const outcome of outcomes) {
      const name = outcome.table.TableName;
      const sum = perTable.get(name) ?? { table: 0, indexes: [] };
      sum.table += outcome.capacityUnits;
      sum.indexes.push(...outcome.indexUnits);
      perTable.set(name, sum);
      const collection = collectionMetrics(input.ReturnItemCollectionMetrics, outcome.table, outcome.keyItem as AttributeMap, outcome.collectionBytes);
      if (collection !== undefined) metrics.set(name, [...(metrics.get(name) ?? []), collection]);
    }
    const capacities = [...perTable].map(([name, sum]) => consumedCapacity(input.ReturnConsumedCapacity, name, sum.table, sum.indexes)).filter((c) => c !== undefined);
    return {
      body: {
        UnprocessedItems: unprocessed,
        ConsumedCapacity: capacities.length > 0 ? capacities : undefined,
        ItemCollectionMetrics: metrics.size > 0 ? Object.fromEntries(metrics) : undefined,
      },
      usage: [...perTable].map(([name, sum]) => usageOf(name, 'write', sum.table, sum.indexes)),
    };
  },
});
