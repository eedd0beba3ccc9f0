// Operation name (from X-Amz-Target) → handler.
import type { Operation } from './context.js';
import { batchGetItem } from './operations/batch-get-item.js';
import { batchExecuteStatement } from './operations/batch-execute-statement.js';
import { executeStatement } from './operations/execute-statement.js';
import { executeTransaction } from './operations/execute-transaction.js';
import { batchWriteItem } from './operations/batch-write-item.js';
import { transactGetItems } from './operations/transact-get-items.js';
import { transactWriteItems } from './operations/transact-write-items.js';
import { createTable } from './operations/create-table.js';
import { deleteItem } from './operations/delete-item.js';
import { deleteTable } from './operations/delete-table.js';
import { describeEndpoints, describeLimits } from './operations/describe-limits.js';
import { describeTable } from './operations/describe-table.js';
import { getItem } from './operations/get-item.js';
import { listTables } from './operations/list-tables.js';
import { putItem } from './operations/put-item.js';
import { query } from './operations/query.js';
import { scan } from './operations/scan.js';
import { listTagsOfResource, tagResource, untagResource } from './operations/tags.js';
import { updateItem } from './operations/update-item.js';
import { updateTable } from './operations/update-table.js';
import { describeTimeToLive, updateTimeToLive } from './operations/time-to-live.js';
import { describeStream } from './operations/describe-stream.js';
import { getRecords } from './operations/get-records.js';
import { getShardIterator } from './operations/get-shard-iterator.js';
import { listStreams } from './operations/list-streams.js';

export const dynamoDbTargetPrefix = 'DynamoDB_20120810';
export const streamsTargetPrefix = 'DynamoDBStreams_20120810';

const operations: ReadonlyMap<string, Operation> = new Map([
  ['BatchGetItem', batchGetItem],
  ['BatchWriteItem', batchWriteItem],
  ['ExecuteStatement', executeStatement],
  ['BatchExecuteStatement', batchExecuteStatement],
  ['ExecuteTransaction', executeTransaction],
  ['TransactWriteItems', transactWriteItems],
  ['TransactGetItems', transactGetItems],
  ['CreateTable', createTable],
  ['DeleteItem', deleteItem],
  ['DeleteTable', deleteTable],
  ['DescribeEndpoints', describeEndpoints],
  ['DescribeLimits', describeLimits],
  ['DescribeTable', describeTable],
  ['GetItem', getItem],
  ['ListTables', listTables],
  ['ListTagsOfResource', listTagsOfResource],
  ['PutItem', putItem],
  ['Query', query],
  ['Scan', scan],
  ['TagResource', tagResource],
  ['UntagResource', untagResource],
  ['UpdateItem', updateItem],
  ['UpdateTable', updateTable],
  ['UpdateTimeToLive', updateTimeToLive],
  ['DescribeTimeToLive', describeTimeToLive],
]);

/** The Streams API, served on the same endpoint. */
const streamOperations: ReadonlyMap<string, Operation> = new Map([
  ['ListStreams', listStreams],
  ['DescribeStream', describeStream],
  ['GetShardIterator', getShardIterator],
  ['GetRecords', getRecords],
]);

/** The handler for an X-Amz-Target header value, or undefined for an unknown target. */
export function resolveTarget(target: string | undefined): Operation | undefined {
  if (target === undefined) return undefined;
  const dot = target.indexOf('.');
  if (dot < 0) return undefined;
  const prefix = target.slice(0, dot);
  if (prefix === dynamoDbTargetPrefix) return operations.get(target.slice(dot + 1));
  if (prefix === streamsTargetPrefix) return streamOperations.get(target.slice(dot + 1));
  return undefined;
}
