// Hot partitions under --enforce-capacity, through the SDK against a real server process: each
// partition of a table, and of each GSI, serves at most 1,000 write and 3,000 read units a second,
// whatever the request — a GSI's hot key reached by writes to keys all over the table
// (IndexWriteKeyRangeThroughputExceeded), a batch's put to a spent GSI partition (handed back
// unprocessed), a transaction (cancelled with the throttled action's reason), a GSI Query (and
// PartiQL's SELECT of it), a Scan page — and a throttled request changes nothing. The GSI's Contributor Insights rules count the writes that
// reach it and the keys its partitions throttled. The clock stands still unless the test moves it
// (--clock-speed 0.000001), so every bucket is where the requests left it; 399 KB items spend them.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CloudWatchClient, GetInsightRuleReportCommand } from '@aws-sdk/client-cloudwatch';
import {
  BatchWriteItemCommand, CreateTableCommand, DescribeContributorInsightsCommand, ExecuteStatementCommand, GetItemCommand, PutItemCommand, QueryCommand, ScanCommand,
  TransactGetItemsCommand, TransactWriteItemsCommand, UpdateContributorInsightsCommand, type AttributeValue, type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { partitionOf } from '../../src/engine/capacity-meter.js';
import { partitionDigest } from '../../src/model/key-encoding.js';
import { localOnly, startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { provisionedTable } from '../helpers/tables.js';

const tableText = 'The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.';
const indexText = 'The level of configured provisioned throughput for one or more global secondary indexes of the table was exceeded. Consider increasing your provisioning level for the under-provisioned global secondary indexes with the UpdateTable API.';
const arn = (table: string): string => `arn:aws:dynamodb:us-east-1:000000000000:table/${table}`;
const item = (pk: string, g: string, size = 0): Record<string, AttributeValue> => ({ pk: { S: pk }, g: { S: g }, ...(size > 0 ? { data: { S: 'x'.repeat(size) } } : {}) });
/** About 399 KB: 399 write units, 100 read units read strongly. */
const big = 399 * 1024 - 200;
/** `count` string keys, each in another of `partitions` partitions than every other (and than those of `avoid`). */
function spread(prefix: string, count: number, partitions: number, avoid: readonly string[] = []): string[] {
  const used = new Set(avoid.map((k) => partitionOf(partitions, partitionDigest(Buffer.from(k)))));
  const keys: string[] = [];
  for (let n = 0; keys.length < count; n++) {
    const partition = partitionOf(partitions, partitionDigest(Buffer.from(`${prefix}${n}`)));
    if (used.has(partition)) continue;
    used.add(partition);
    keys.push(`${prefix}${n}`);
  }
  return keys;
}
/** The error a request was refused with: its name, message, ThrottlingReasons and CancellationReasons. */
async function refusal(promise: Promise<unknown>): Promise<{ name: string; message: string; reasons?: unknown; cancellation?: unknown }> {
  const error = await promise.then(() => assert.fail('expected the request to be refused'), (e: unknown) => e as Error & { ThrottlingReasons?: unknown; CancellationReasons?: unknown });
  return {
    name: error.name, message: error.message,
    ...(error.ThrottlingReasons === undefined ? {} : { reasons: error.ThrottlingReasons }),
    ...(error.CancellationReasons === undefined ? {} : { cancellation: error.CancellationReasons }),
  };
}

describe('hot partitions of tables and GSIs', localOnly, () => {
  let server: ServerProcess;
  let db: DynamoDBClient;
  let cw: CloudWatchClient;

  before(async () => {
    server = await startServerProcess({ args: ['--enforce-capacity', '--test-clock', '--clock-speed', '0.000001'] });
    db = server.client('us-east-1');
    cw = new CloudWatchClient({ endpoint: server.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' }, maxAttempts: 1 });
    // Five partitions each (⌈1000/3000 + 4000/1000⌉, and the GSI's ⌈3000/3000 + 4000/1000⌉), and far more burst than is spent here.
    const table = provisionedTable('Hot', 1000, 4000, ['pk', 'S']);
    await db.send(new CreateTableCommand({
      ...table, AttributeDefinitions: [...(table.AttributeDefinitions ?? []), { AttributeName: 'g', AttributeType: 'S' }],
      GlobalSecondaryIndexes: [{ IndexName: 'byG', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' }, ProvisionedThroughput: { ReadCapacityUnits: 3000, WriteCapacityUnits: 4000 } }],
    }));
    await db.send(new UpdateContributorInsightsCommand({ TableName: 'Hot', IndexName: 'byG', ContributorInsightsAction: 'ENABLE' }));
  });
  after(async () => {
    cw?.destroy();
    await server.dispose();
  });

  it('throttles a hot GSI key reached by writes to keys in every table partition, changing nothing, and counts it for the GSI\'s Contributor Insights', async () => {
    const [a, b, c, d, x, y] = [...spread('p', 4, 5), ...spread('batch', 2, 5)] as string[];
    const [cold, fresh] = [...spread('G-cold', 1, 5, ['G-hot']), ...spread('G-batch', 1, 5, ['G-hot'])] as string[];
    // Three 399 KB items of three table partitions, one GSI key: 1,197 units in its GSI partition's second of 1,000.
    for (const pk of [a, b, c] as string[]) await db.send(new PutItemCommand({ TableName: 'Hot', Item: item(pk, 'G-hot', big) }));
    assert.deepEqual(await refusal(db.send(new PutItemCommand({ TableName: 'Hot', Item: item(d as string, 'G-hot') }))), {
      name: 'ProvisionedThroughputExceededException', message: indexText, reasons: [{ reason: 'IndexWriteKeyRangeThroughputExceeded', resource: `${arn('Hot')}/index/byG` }],
    });
    assert.equal((await db.send(new GetItemCommand({ TableName: 'Hot', Key: { pk: { S: d as string } }, ConsistentRead: true }))).Item, undefined);
    // Another GSI key, of another GSI partition, on the same table key: written.
    await db.send(new PutItemCommand({ TableName: 'Hot', Item: item(d as string, cold as string) }));
    // A write that would move the item's entry to the hot GSI key is refused too, and leaves the item as it was.
    assert.equal((await refusal(db.send(new PutItemCommand({ TableName: 'Hot', Item: item(d as string, 'G-hot') })))).message, indexText);
    assert.deepEqual((await db.send(new GetItemCommand({ TableName: 'Hot', Key: { pk: { S: d as string } }, ConsistentRead: true }))).Item, item(d as string, cold as string));

    const described = await db.send(new DescribeContributorInsightsCommand({ TableName: 'Hot', IndexName: 'byG' }));
    const [accessedRule, throttledRule] = described.ContributorInsightsRuleList ?? [];
    const now = await server.advanceClock(0);
    const counts = async (rule: string) => (await cw.send(new GetInsightRuleReportCommand({ RuleName: rule, StartTime: new Date(now - 3_600_000), EndTime: new Date(now + 60_000), Period: 60 })))
      .Contributors?.map((x) => [x.Keys, x.ApproximateAggregateValue]);
    assert.deepEqual(await counts(accessedRule as string), [[['G-hot'], 3], [[cold], 1]]);
    assert.deepEqual(await counts(throttledRule as string), [[['G-hot'], 2]]);

    // A batch's put whose GSI entry goes to the spent partition comes back unprocessed; the rest is written.
    const put = (pk: string, g: string) => ({ PutRequest: { Item: item(pk, g) } });
    const written = await db.send(new BatchWriteItemCommand({ RequestItems: { Hot: [put(x as string, 'G-hot'), put(y as string, fresh as string)] } }));
    assert.deepEqual(written.UnprocessedItems, { Hot: [put(x as string, 'G-hot')] });
    assert.equal((await db.send(new GetItemCommand({ TableName: 'Hot', Key: { pk: { S: x as string } }, ConsistentRead: true }))).Item, undefined);
    assert.deepEqual((await db.send(new GetItemCommand({ TableName: 'Hot', Key: { pk: { S: y as string } }, ConsistentRead: true }))).Item, item(y as string, fresh as string));
  });

  it('cancels a transaction whose action meets a spent partition, of the table or of a GSI, with that action\'s reason', async () => {
    await server.advanceClock(1000); // every partition full again
    const [tx, other] = spread('tx', 2, 5);
    const [fresh] = spread('G-fresh', 1, 5, ['G-tx']);
    // A transaction's write costs twice its units: two 399 KB puts of one key (and one GSI key) spend
    // its table partition and its GSI partition (798 each, then 1,596).
    for (const fill of ['1', '2']) await db.send(new TransactWriteItemsCommand({ TransactItems: [{ Put: { TableName: 'Hot', Item: item(tx as string, 'G-tx', big - Number(fill)) } }] }));
    assert.deepEqual(await refusal(db.send(new TransactWriteItemsCommand({ TransactItems: [
      { Put: { TableName: 'Hot', Item: item(other as string, fresh as string) } },
      { Update: { TableName: 'Hot', Key: { pk: { S: tx as string } }, UpdateExpression: 'SET n = :n', ExpressionAttributeValues: { ':n': { N: '1' } } } },
    ] }))), {
      name: 'TransactionCanceledException', message: 'Transaction cancelled, please refer cancellation reasons for specific reasons [None, ProvisionedThroughputExceeded]',
      cancellation: [{ Code: 'None' }, { Code: 'ProvisionedThroughputExceeded', Message: tableText }],
    });
    // A put whose GSI entry goes to the spent G-tx partition: the GSI's text.
    assert.deepEqual(await refusal(db.send(new TransactWriteItemsCommand({ TransactItems: [{ Put: { TableName: 'Hot', Item: item(other as string, 'G-tx') } }] }))), {
      name: 'TransactionCanceledException', message: 'Transaction cancelled, please refer cancellation reasons for specific reasons [ProvisionedThroughputExceeded]',
      cancellation: [{ Code: 'ProvisionedThroughputExceeded', Message: indexText }],
    });
    // Neither changed anything.
    assert.equal((await db.send(new GetItemCommand({ TableName: 'Hot', Key: { pk: { S: other as string } }, ConsistentRead: true }))).Item, undefined);
    assert.equal((await db.send(new GetItemCommand({ TableName: 'Hot', Key: { pk: { S: tx as string } }, ConsistentRead: true }))).Item?.['n'], undefined);
  });

  it('cancels a read transaction whose item\'s partition has spent its reads', async () => {
    await server.advanceClock(1000);
    const [reader] = spread('read', 1, 5);
    await db.send(new PutItemCommand({ TableName: 'Hot', Item: item(reader as string, 'G-read', big) }));
    // An eventually consistent read of it (50 units), then transactional reads, 200 units each: the
    // fifteenth takes its partition's 3,000 below zero.
    await db.send(new GetItemCommand({ TableName: 'Hot', Key: { pk: { S: reader as string } } }));
    const get = () => db.send(new TransactGetItemsCommand({ TransactItems: [{ Get: { TableName: 'Hot', Key: { pk: { S: reader as string } } } }] }));
    for (let n = 0; n < 15; n++) await get();
    assert.deepEqual(await refusal(get()), {
      name: 'TransactionCanceledException', message: 'Transaction cancelled, please refer cancellation reasons for specific reasons [ProvisionedThroughputExceeded]',
      cancellation: [{ Code: 'ProvisionedThroughputExceeded', Message: tableText }],
    });
  });

  it('holds a GSI Query to its index partition\'s 3,000 read units a second', async () => {
    await server.advanceClock(1000);
    const query = () => db.send(new QueryCommand({ TableName: 'Hot', IndexName: 'byG', KeyConditionExpression: 'g = :g', ExpressionAttributeValues: { ':g': { S: 'G-hot' } }, ReturnConsumedCapacity: 'INDEXES' }));
    // One entry read first (50 units), then pages of three 399 KB entries read eventually consistent,
    // 150 units each: the twentieth takes the index partition's 3,000 below zero.
    await db.send(new QueryCommand({ TableName: 'Hot', IndexName: 'byG', KeyConditionExpression: 'g = :g', ExpressionAttributeValues: { ':g': { S: 'G-hot' } }, Limit: 1 }));
    const units = (await query()).ConsumedCapacity?.GlobalSecondaryIndexes?.['byG']?.CapacityUnits ?? 0;
    assert.equal(units, 150);
    for (let n = 1; n < 3000 / units; n++) await query();
    assert.deepEqual(await refusal(query()), {
      name: 'ProvisionedThroughputExceededException', message: indexText, reasons: [{ reason: 'IndexReadKeyRangeThroughputExceeded', resource: `${arn('Hot')}/index/byG` }],
    });
    // PartiQL's SELECT of the GSI partition is the same Query.
    assert.deepEqual(await refusal(db.send(new ExecuteStatementCommand({ Statement: 'SELECT * FROM "Hot"."byG" WHERE g = \'G-hot\'' }))), {
      name: 'ProvisionedThroughputExceededException', message: indexText, reasons: [{ reason: 'IndexReadKeyRangeThroughputExceeded', resource: `${arn('Hot')}/index/byG` }],
    });
  });

  it('holds a provisioned table\'s Scan page to the partition it starts in', async () => {
    // One partition (⌈1000/3000 + 10/1000⌉): every page starts in it.
    await db.send(new CreateTableCommand(provisionedTable('Scanned', 1000, 10, ['pk', 'S'])));
    for (const pk of ['s1', 's2']) await db.send(new PutItemCommand({ TableName: 'Scanned', Item: item(pk, 'G', big) }));
    const scan = () => db.send(new ScanCommand({ TableName: 'Scanned', ConsistentRead: true, ReturnConsumedCapacity: 'TOTAL' }));
    // One item read first (100 units), then pages of both, 200 units each: the fifteenth takes the partition's 3,000 below zero.
    await db.send(new ScanCommand({ TableName: 'Scanned', ConsistentRead: true, Limit: 1 }));
    const units = (await scan()).ConsumedCapacity?.CapacityUnits ?? 0;
    assert.equal(units, 200);
    for (let n = 1; n < 3000 / units; n++) await scan();
    assert.deepEqual(await refusal(scan()), {
      name: 'ProvisionedThroughputExceededException', message: tableText, reasons: [{ reason: 'TableReadKeyRangeThroughputExceeded', resource: arn('Scanned') }],
    });
    // A second of the clock refills it.
    await server.advanceClock(1000);
    assert.equal((await scan()).Count, 2);
  });
});
