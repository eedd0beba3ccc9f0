// BatchWriteItem: up to 25 puts and deletes across tables, every request checked before any is
// applied, then applied in one storage transaction (one durable commit for the batch).
import { keyFromItem, keyFromKeyMap } from '../../engine/item-key.js';
import type { AttributeMap } from '../../model/attribute-value.js';
import { writeCapacityUnits } from '../../model/capacity-units.js';
import { itemSizeBytes, itemSizeBytesMax } from '../../model/item-size.js';
import type { StoredItem } from '../../storage/storage.js';
import type { Operation } from '../context.js';
import { ValidationException } from '../errors.js';
import { messages } from '../messages.js';
import { normalizeAttributeMap, normalizeItem } from '../validate/attribute-value.js';
import { returnConsumedCapacity, returnItemCollectionMetrics } from '../validate/common-shapes.js';
import { attributeMap, list, map, namePattern, struct, type Members } from '../validate/shape.js';
import { validateInput } from '../validate/validate-input.js';
import { consumedCapacity, type IndexCapacity, type ReturnConsumedCapacity } from './consumed-capacity.js';
import { checkIndexKeys, indexWrites, tableIndexes, type IndexDefinition } from '../../engine/indexes.js';

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
  readonly RequestItems: Readonly<Record<string, readonly WriteRequest[]>>;
}

interface PlannedWrite {
  readonly tableName: string;
  readonly tableId: string;
  readonly indexes: readonly IndexDefinition[];
  readonly key: Buffer;
  readonly next: StoredItem | null;
  readonly item: AttributeMap | undefined;
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
    const indexes = tableIndexes(table);
    if (r.put !== undefined && indexes.length > 0) checkIndexKeys(indexes, r.put);
    const identity = `${table.id}:${key.toString('hex')}`;
    if (seen.has(identity)) throw new ValidationException(messages.duplicateKeys);
    seen.add(identity);
    planned.push({ tableName: table.TableName, tableId: table.id, indexes, key, next: r.put === undefined ? null : { json: JSON.stringify(r.put), sizeBytes: itemSizeBytes(r.put) }, item: r.put });
  }
  const units = await engine.storage.write(planned.map((p) => ({ tableId: p.tableId, key: p.key })), (current) => {
    const changes = planned.map((p, i) => {
      const previous = current[i];
      if (p.indexes.length === 0 || (previous === undefined && p.item === undefined)) return undefined;
      const before = previous === undefined ? undefined : (JSON.parse(previous.json) as AttributeMap);
      return indexWrites(p.indexes, p.key, before, p.item, p.next?.json, previous?.json);
    });
    return {
      // Deleting a missing item writes nothing.
      writes: planned.map((p, i) => (p.next === null && current[i] === undefined ? undefined : p.next)),
      result: planned.map((p, i) => ({ table: writeCapacityUnits(current[i]?.sizeBytes ?? 0, p.next?.sizeBytes ?? 0), indexes: changes[i]?.units ?? [], history: changes[i]?.history ?? [] })),
      derived: changes.flatMap((c) => c?.writes ?? []),
    };
  });
  const perTable = new Map<string, { table: number; indexes: IndexCapacity[] }>();
  engine.indexHistory.record(units.flatMap((u) => u.history));
  planned.forEach((p, i) => {
    const spent = units[i] as { table: number; indexes: readonly IndexCapacity[] };
    const sum = perTable.get(p.tableName) ?? { table: 0, indexes: [] };
    sum.table += spent.table;
    sum.indexes.push(...spent.indexes);
    perTable.set(p.tableName, sum);
  });
  const members = ['"UnprocessedItems":{}'];
  const capacities = [...perTable].map(([name, sum]) => consumedCapacity(input.ReturnConsumedCapacity, name, sum.table, sum.indexes)).filter((c) => c !== undefined);
  if (capacities.length > 0) members.push(`"ConsumedCapacity":${JSON.stringify(capacities)}`);
  return `{${members.join(',')}}`;
};
