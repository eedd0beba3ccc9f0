// Where a trigger's discarded batches go (Lambda's DestinationConfig.OnFailure): a JSON-lines file,
// or a table of this server. A table item is keyed by the invocation's request id (and its timestamp
// for a sort key) and carries the batch's coordinates plus the whole invocation record as JSON.
import { open } from 'node:fs/promises';
import { dirname } from 'node:path';
import { mkdir } from 'node:fs/promises';
import type { Engine } from '../engine/engine.js';
import type { AttributeMap, AttributeValue, ScalarKeyType } from '../model/attribute-value.js';
import { itemSizeBytes, itemSizeBytesMax } from '../model/item-size.js';
import { ownValue, setOwn } from '../model/own-properties.js';
import { primaryKey } from '../model/table.js';
import type { FailureDestination } from './trigger-config.js';

export type SendFailure = (record: Record<string, unknown>) => Promise<void>;

export function failureSender(destination: FailureDestination, engine: Engine): SendFailure {
  if (destination.kind === 'file') {
    return async (record) => {
      await mkdir(dirname(destination.path), { recursive: true });
      const file = await open(destination.path, 'a');
      try {
        await file.write(`${JSON.stringify(record)}\n`);
        await file.datasync();
      } finally {
        await file.close();
      }
    };
  }
  return async (record) => {
    const table = engine.tables.find(destination.region, destination.tableName);
    if (table === undefined) throw new Error(`destination table ${destination.arn} does not exist`);
    const context = record['requestContext'] as { requestId: string; condition: string; approximateInvokeCount: number };
    const batch = record['DDBStreamBatchInfo'] as Record<string, string | number>;
    const timestamp = record['timestamp'] as string;
    const key = primaryKey(table);
    const item: Record<string, AttributeValue> = {};
    setOwn(item, key.hash.name, keyValue(key.hash.type, context.requestId, Date.parse(timestamp)));
    if (key.range !== undefined) setOwn(item, key.range.name, keyValue(key.range.type, timestamp, Date.parse(timestamp)));
    const extra: Record<string, AttributeValue> = {
      condition: { S: context.condition },
      approximateInvokeCount: { N: String(context.approximateInvokeCount) },
      timestamp: { S: timestamp },
      streamArn: { S: String(batch['streamArn']) },
      shardId: { S: String(batch['shardId']) },
      startSequenceNumber: { S: String(batch['startSequenceNumber']) },
      endSequenceNumber: { S: String(batch['endSequenceNumber']) },
      batchSize: { N: String(batch['batchSize']) },
      invocationRecord: { S: JSON.stringify(record) },
    };
    for (const [name, value] of Object.entries(extra)) if (ownValue(item, name) === undefined) setOwn(item, name, value);
    const sizeBytes = itemSizeBytes(item as AttributeMap);
    if (sizeBytes > itemSizeBytesMax) throw new Error(`the failure record (${sizeBytes} bytes) exceeds DynamoDB's item size limit; use a file destination for batches this large`);
    // Through the item service, like any other write: indexes, streams and collections follow.
    await engine.items.put(destination.region, destination.tableName, item as AttributeMap, sizeBytes);
  };
}

function keyValue(type: ScalarKeyType, text: string, ms: number): AttributeValue {
  switch (type) {
    case 'S':
      return { S: text };
    case 'N':
      return { N: String(ms) };
    case 'B':
      return { B: Buffer.from(text).toString('base64') };
    default:
      return type satisfies never;
  }
}
