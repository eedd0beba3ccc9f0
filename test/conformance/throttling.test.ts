// Provisioned capacity enforced (--enforce-capacity) through the SDK against a real server process:
// a PROVISIONED table (and a GSI) throttles once its capacity and its 300 seconds of burst are spent,
// with DynamoDB's exception, text and ThrottlingReasons, changing nothing; it serves again once the
// clock has refilled it; a batch hands back a throttled table's part unprocessed and serves the rest;
// a transaction touching a throttled table is cancelled with ProvisionedThroughputExceeded as that
// action's reason; on-demand tables are not limited unless given a maximum; a hot key throttles at its
// partition. The server's clock all but stands still by itself (--clock-speed 0.000001: a millisecond
// of it takes over sixteen real minutes, so a loaded machine cannot move it) and the test moves it,
// so refills happen when the test says; large items (a 399
// KB item is 399 write units; reading it strongly, 100 read units) drive the buckets below zero.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  BatchExecuteStatementCommand, BatchGetItemCommand, BatchWriteItemCommand, CreateTableCommand, DynamoDBClient, GetItemCommand, PutItemCommand, QueryCommand, ScanCommand, TagResourceCommand, TransactWriteItemsCommand, UpdateTableCommand, type AttributeValue,
} from '@aws-sdk/client-dynamodb';
import { localOnly, startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { rejects } from '../helpers/rejects.js';
import { until } from '../helpers/until.js';
import { onDemandTable, provisionedTable, type KeyAttribute } from '../helpers/tables.js';
import { partitionOf } from '../../src/engine/capacity-meter.js';
import { partitionDigest } from '../../src/model/key-encoding.js';

const big = (pk: string, sk = 'a', extra: Record<string, AttributeValue> = {}): Record<string, AttributeValue> => ({ pk: { S: pk }, sk: { S: sk }, data: { S: 'x'.repeat(399 * 1024 - 200) }, ...extra });
const small = (pk: string, sk = 'a', extra: Record<string, AttributeValue> = {}): Record<string, AttributeValue> => ({ pk: { S: pk }, sk: { S: sk }, ...extra });
/** The tables' keys: pk and sk, strings. */
const pkSk: [KeyAttribute, KeyAttribute] = [['pk', 'S'], ['sk', 'S']];
const tableText = 'The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.';
const indexText = 'The level of configured provisioned throughput for one or more global secondary indexes of the table was exceeded. Consider increasing your provisioning level for the under-provisioned global secondary indexes with the UpdateTable API.';

describe('provisioned capacity enforced', localOnly, () => {
  let server: ServerProcess;
  let db: DynamoDBClient;
  const arn = (table: string): string => `arn:aws:dynamodb:us-east-1:000000000000:table/${table}`;
  const create = (TableName: string, read: number, write: number, gsiWrite?: number) => {
    const table = provisionedTable(TableName, read, write, ...pkSk);
    return db.send(new CreateTableCommand(gsiWrite === undefined ? table : {
      ...table, AttributeDefinitions: [...(table.AttributeDefinitions ?? []), { AttributeName: 'g', AttributeType: 'S' }],
      GlobalSecondaryIndexes: [{ IndexName: 'byG', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' }, ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: gsiWrite } }],
    }));
  };
  /** The error's ThrottlingReasons as the SDK parsed them. */
  const reasonsOf = async (promise: Promise<unknown>): Promise<unknown> => {
    try {
      await promise;
    } catch (error) {
      return (error as { ThrottlingReasons?: unknown }).ThrottlingReasons;
    }
    assert.fail('expected the request to be throttled');
  };
  before(async () => {
    server = await startServerProcess({ args: ['--enforce-capacity', '--test-clock', '--clock-speed', '0.000001'] });
    db = server.client('us-east-1');
  });
  after(async () => {
    await server.dispose();
  });

  it('throttles writes past the capacity and its burst, changing nothing, and serves again once refilled', async () => {
    await create('Writes', 1000, 1);
    // 300 s of 1 WCU kept as burst: one 399 KB write takes the bucket to about -99.
    await db.send(new PutItemCommand({ TableName: 'Writes', Item: big('p1') }));
    const throttled = db.send(new PutItemCommand({ TableName: 'Writes', Item: small('p2') }));
    await rejects(throttled, 'ProvisionedThroughputExceededException', tableText);
    assert.deepEqual(await reasonsOf(db.send(new PutItemCommand({ TableName: 'Writes', Item: small('p2') }))), [{ reason: 'TableWriteProvisionedThroughputExceeded', resource: arn('Writes') }]);
    assert.equal((await db.send(new GetItemCommand({ TableName: 'Writes', Key: small('p2'), ConsistentRead: true }))).Item, undefined);
    // Reads draw on the read capacity, which is ample.
    assert.equal((await db.send(new GetItemCommand({ TableName: 'Writes', Key: small('p1'), ConsistentRead: true }))).Item?.['pk']?.S, 'p1');
    await server.advanceClock(100_000); // 100 more units: the bucket is above zero again
    await db.send(new PutItemCommand({ TableName: 'Writes', Item: small('p2') }));
    assert.deepEqual((await db.send(new GetItemCommand({ TableName: 'Writes', Key: small('p2'), ConsistentRead: true }))).Item, small('p2'));
  });

  it('throttles reads past the read capacity', async () => {
    await create('Reads', 1, 1000);
    for (const sk of ['a', 'b', 'c', 'd']) {
      await server.advanceClock(1000); // the partition's second of writes, each time
      await db.send(new PutItemCommand({ TableName: 'Reads', Item: big('p', sk) }));
    }
    // A 399 KB item read eventually consistent, 50 units; then a page of a Query ends past 1 MB: three
    // 399 KB items read strongly, 300 units — 50 more than the burst had left.
    await db.send(new GetItemCommand({ TableName: 'Reads', Key: small('p', 'a') }));
    const query = await db.send(new QueryCommand({ TableName: 'Reads', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'p' } }, ConsistentRead: true, ReturnConsumedCapacity: 'TOTAL' }));
    assert.equal(query.ConsumedCapacity?.CapacityUnits, 300);
    // The clock has not moved since: the bucket is below zero, and the next read is throttled.
    assert.deepEqual(await reasonsOf(db.send(new GetItemCommand({ TableName: 'Reads', Key: small('p') }))), [{ reason: 'TableReadProvisionedThroughputExceeded', resource: arn('Reads') }]);
    await rejects(db.send(new GetItemCommand({ TableName: 'Reads', Key: small('p') })), 'ProvisionedThroughputExceededException', tableText);
  });

  it('throttles a table\'s writes when a GSI\'s write capacity is spent', async () => {
    await create('Indexed', 1000, 1000, 1);
    await db.send(new PutItemCommand({ TableName: 'Indexed', Item: big('p1', 'a', { g: { S: 'G' } }) }));
    const put = db.send(new PutItemCommand({ TableName: 'Indexed', Item: small('p2', 'a', { g: { S: 'G' } }) }));
    await rejects(put, 'ProvisionedThroughputExceededException', indexText);
    assert.deepEqual(await reasonsOf(db.send(new PutItemCommand({ TableName: 'Indexed', Item: small('p3') }))), [{ reason: 'IndexWriteProvisionedThroughputExceeded', resource: `${arn('Indexed')}/index/byG` }]);
  });

  it('hands back a throttled table\'s part of a batch unprocessed and writes the rest; all throttled: the exception', async () => {
    await db.send(new CreateTableCommand(onDemandTable('OnDemand', ...pkSk)));
    await db.send(new PutItemCommand({ TableName: 'Writes', Item: big('p3') })); // the bucket below zero again
    const items = { Writes: [{ PutRequest: { Item: small('b1') } }, { PutRequest: { Item: small('b2') } }], OnDemand: [{ PutRequest: { Item: small('b1') } }] };
    const answer = await db.send(new BatchWriteItemCommand({ RequestItems: items }));
    assert.deepEqual(answer.UnprocessedItems, { Writes: items.Writes });
    assert.deepEqual((await db.send(new GetItemCommand({ TableName: 'OnDemand', Key: small('b1') }))).Item, small('b1'));
    assert.equal((await db.send(new GetItemCommand({ TableName: 'Writes', Key: small('b1'), ConsistentRead: true }))).Item, undefined);
    await rejects(db.send(new BatchWriteItemCommand({ RequestItems: { Writes: items.Writes } })), 'ProvisionedThroughputExceededException', tableText);
  });

  it('fails a BatchExecuteStatement\'s statements to a throttled table alone, with the throttle as their Error', async () => {
    // 'Writes' is throttled for writes (the tests above spent it); 'OnDemand' is not.
    const answer = await db.send(new BatchExecuteStatementCommand({ Statements: [
      { Statement: 'INSERT INTO "Writes" VALUE {\'pk\': \'x1\', \'sk\': \'a\'}' },
      { Statement: 'INSERT INTO "OnDemand" VALUE {\'pk\': \'x1\', \'sk\': \'a\'}' },
      { Statement: 'SELECT * FROM "Writes" WHERE pk = \'p1\' AND sk = \'a\'' },
    ] }));
    assert.deepEqual(answer.Responses?.map((r) => [r.TableName, r.Error?.Code, r.Error?.Message, r.Item?.['pk']?.S]), [
      ['Writes', 'ProvisionedThroughputExceeded', tableText, undefined],
      ['OnDemand', undefined, undefined, undefined],
      ['Writes', undefined, undefined, 'p1'],
    ]);
  });

  it('throttles an on-demand table past its maximum throughput with ThrottlingException', async () => {
    await db.send(new CreateTableCommand({ ...onDemandTable('Capped', ...pkSk), OnDemandThroughput: { MaxWriteRequestUnits: 5 } }));
    // A second's worth of the maximum, no burst: a 100 KB write (100 units) takes it to about -95.
    await db.send(new PutItemCommand({ TableName: 'Capped', Item: small('c1', 'a', { data: { S: 'c'.repeat(100 * 1024 - 100) } }) }));
    await rejects(db.send(new PutItemCommand({ TableName: 'Capped', Item: small('c2') })), 'ThrottlingException',
      'Throughput exceeds the current capacity of your table or index. DynamoDB is automatically scaling your table or index so please try again shortly. If exceptions persist, check if you have a hot key: https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/bp-partition-key-design.html');
    assert.deepEqual(await reasonsOf(db.send(new PutItemCommand({ TableName: 'Capped', Item: small('c2') }))), [{ reason: 'TableWriteMaxOnDemandThroughputExceeded', resource: arn('Capped') }]);
    // Reads have no maximum set: served.
    assert.equal((await db.send(new GetItemCommand({ TableName: 'Capped', Key: small('c1') }))).Item?.['pk']?.S, 'c1');
    await server.advanceClock(20_000);
    await db.send(new PutItemCommand({ TableName: 'Capped', Item: small('c2') }));
  });

  it('throttles a hot key at its partition\'s 1,000 write units a second while keys in other partitions proceed', async () => {
    // 4,000 WCU: partitions of at most 1,000 each, and a table burst far beyond anything written here.
    await create('Hot', 1000, 4000);
    // Three 399 KB writes of one key: 1,197 units, past its partition's second of 1,000.
    for (const sk of ['s0', 's1', 's2']) await db.send(new PutItemCommand({ TableName: 'Hot', Item: big('hot', sk) }));
    const throttled = db.send(new PutItemCommand({ TableName: 'Hot', Item: small('hot', 'next') }));
    await rejects(throttled, 'ProvisionedThroughputExceededException', tableText);
    assert.deepEqual(await reasonsOf(db.send(new PutItemCommand({ TableName: 'Hot', Item: small('hot', 'next') }))), [{ reason: 'TableWriteKeyRangeThroughputExceeded', resource: arn('Hot') }]);
    // A key that another partition holds is written; the hot key is still read.
    // 1,000 RCU and 4,000 WCU: ⌈1000/3000 + 4000/1000⌉ = 5 partitions.
    const cold = Array.from({ length: 20 }, (_, i) => `cold${i}`).find((k) => partitionOf(5, partitionDigest(Buffer.from(k))) !== partitionOf(5, partitionDigest(Buffer.from('hot')))) as string;
    await db.send(new PutItemCommand({ TableName: 'Hot', Item: small(cold) }));
    assert.equal((await db.send(new GetItemCommand({ TableName: 'Hot', Key: small('hot', 's0') }))).Item?.['pk']?.S, 'hot');
  });

  it('checks a Query\'s partition, and hands back a batch\'s requests to a spent partition unprocessed while serving the rest', async () => {
    await create('HotBatch', 1000, 4000);
    const cold = Array.from({ length: 20 }, (_, i) => `cold${i}`).find((k) => partitionOf(5, partitionDigest(Buffer.from(k))) !== partitionOf(5, partitionDigest(Buffer.from('hot')))) as string;
    for (const sk of ['s0', 's1', 's2']) await db.send(new PutItemCommand({ TableName: 'HotBatch', Item: big('hot', sk) }));
    // The hot key's partition has spent its second of writes: its put comes back, the other is written.
    const put = (pk: string) => ({ PutRequest: { Item: small(pk, 'x') } });
    const written = await db.send(new BatchWriteItemCommand({ RequestItems: { HotBatch: [put('hot'), put(cold)] } }));
    assert.deepEqual(written.UnprocessedItems, { HotBatch: [put('hot')] });
    assert.deepEqual((await db.send(new GetItemCommand({ TableName: 'HotBatch', Key: small(cold, 'x'), ConsistentRead: true }))).Item, small(cold, 'x'));
    // Reads: a 399 KB item read eventually consistent (50 units), then strongly consistent pages of the
    // hot key's three 399 KB items, 300 units each: the tenth takes the partition's 3,000 below zero.
    await db.send(new GetItemCommand({ TableName: 'HotBatch', Key: small('hot', 's0') }));
    const query = () => db.send(new QueryCommand({ TableName: 'HotBatch', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'hot' } }, ConsistentRead: true }));
    for (let n = 0; n < 10; n++) await query();
    assert.deepEqual(await reasonsOf(query()), [{ reason: 'TableReadKeyRangeThroughputExceeded', resource: arn('HotBatch') }]);
    const got = await db.send(new BatchGetItemCommand({ RequestItems: { HotBatch: { Keys: [small('hot', 's0'), small(cold, 'x')], ConsistentRead: true } } }));
    assert.deepEqual(got.Responses?.['HotBatch'], [small(cold, 'x')]);
    assert.deepEqual(got.UnprocessedKeys, { HotBatch: { Keys: [small('hot', 's0')], ConsistentRead: true } });
  });

  it('holds an on-demand table to the account\'s per-table quota of 40,000 units a second (RequestLimitExceeded)', async () => {
    // Warm for 40,000 writes a second, so the quota, not on-demand's scaling, is what it meets.
    await db.send(new CreateTableCommand({ ...onDemandTable('Quota', ...pkSk), WarmThroughput: { WriteUnitsPerSecond: 40_000 } }));
    // 101 writes of 399 KB, each to a key of its own partition-wise spread: 40,299 units in one second of the clock.
    for (let n = 0; n < 101; n++) await db.send(new PutItemCommand({ TableName: 'Quota', Item: big(`q${n}`) }));
    await rejects(db.send(new PutItemCommand({ TableName: 'Quota', Item: small('q-next') })), 'RequestLimitExceeded',
      'Throughput exceeds the current throughput limit for your account. Please contact AWS Support at https://aws.amazon.com/support request a limit increase');
    assert.deepEqual(await reasonsOf(db.send(new PutItemCommand({ TableName: 'Quota', Item: small('q-next') }))), [{ reason: 'TableWriteAccountLimitExceeded', resource: arn('Quota') }]);
  });

  it('cancels a transaction with a throttled table, ProvisionedThroughputExceeded as that action\'s reason; on-demand tables are not limited', async () => {
    const cancelled = db.send(new TransactWriteItemsCommand({ TransactItems: [{ Put: { TableName: 'OnDemand', Item: small('t1') } }, { Put: { TableName: 'Writes', Item: small('t1') } }] }));
    await rejects(cancelled, 'TransactionCanceledException', 'Transaction cancelled, please refer cancellation reasons for specific reasons [None, ProvisionedThroughputExceeded]');
    const error: unknown = await db.send(new TransactWriteItemsCommand({ TransactItems: [{ Put: { TableName: 'OnDemand', Item: small('t1') } }, { Put: { TableName: 'Writes', Item: small('t1') } }] })).then(() => undefined, (e: unknown) => e);
    assert.deepEqual((error as { CancellationReasons?: unknown } | undefined)?.CancellationReasons, [{ Code: 'None' }, { Code: 'ProvisionedThroughputExceeded', Message: tableText }]);
    assert.equal((await db.send(new GetItemCommand({ TableName: 'OnDemand', Key: small('t1') }))).Item, undefined);
    for (let n = 0; n < 5; n++) await db.send(new PutItemCommand({ TableName: 'OnDemand', Item: big(`od${n}`) }));
  });

  it('gets a whole batch written by a caller that resends UnprocessedItems as the capacity refills', async () => {
    await create('Resent', 1000, 1);
    const items = Array.from({ length: 50 }, (_, n) => small(`r${n}`, 'a', { data: { S: 'r'.repeat(100 * 1024 - 100) } }));
    let resends = 0;
    for (const part of [items.slice(0, 25), items.slice(25)]) {
      let pending: Record<string, unknown[]> = { Resent: part.map((Item) => ({ PutRequest: { Item } })) };
      while (Object.keys(pending).length > 0) {
        // Nothing processed at all is ProvisionedThroughputExceededException (the SDK's retries would resend it too).
        const answer = await db.send(new BatchWriteItemCommand({ RequestItems: pending as ConstructorParameters<typeof BatchWriteItemCommand>[0]['RequestItems'] })).catch((error: Error) => {
          if (error.name !== 'ProvisionedThroughputExceededException') throw error;
          return { UnprocessedItems: pending };
        });
        pending = (answer.UnprocessedItems ?? {}) as Record<string, unknown[]>;
        if (Object.keys(pending).length === 0) break;
        resends++;
        // 2,500 units went below zero; 2,500 s of the clock (at 1 WCU) bring the bucket above it again.
        await server.advanceClock(2_500_000);
      }
    }
    assert.equal(resends, 1);
    for (const item of items) assert.equal((await db.send(new GetItemCommand({ TableName: 'Resent', Key: small(item['pk']?.S ?? ''), ConsistentRead: true }))).Item?.['pk']?.S, item['pk']?.S);
  });

  it('names each limit a read or a GSI meets: a GSI\'s provisioned reads, on-demand maximums of a table\'s reads and a GSI\'s, the account\'s quota for reads and GSIs', async () => {
    const onDemandText = 'Throughput exceeds the current capacity of your table or index. DynamoDB is automatically scaling your table or index so please try again shortly. If exceptions persist, check if you have a hot key: https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/bp-partition-key-design.html';
    const quotaText = 'Throughput exceeds the current throughput limit for your account. Please contact AWS Support at https://aws.amazon.com/support request a limit increase';
    const index = (table: string): string => `${arn(table)}/index/byG`;
    /** Sends requests until one is refused: how many went through, and what refused the next. */
    const untilRefused = async (send: () => Promise<unknown>): Promise<{ served: number; name: string; message: string; reasons: unknown }> => {
      for (let served = 0; ; served++) {
        try {
          await send();
        } catch (error) {
          return { served, name: (error as Error).name, message: (error as Error).message, reasons: (error as { ThrottlingReasons?: unknown }).ThrottlingReasons };
        }
      }
    };
    const withIndex = (table: ReturnType<typeof onDemandTable>, gsi: Record<string, unknown> = {}) => new CreateTableCommand({
      ...table, AttributeDefinitions: [...(table.AttributeDefinitions ?? []), { AttributeName: 'g', AttributeType: 'S' }],
      GlobalSecondaryIndexes: [{ IndexName: 'byG', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' }, ...gsi }],
    });
    const queryG = (TableName: string, g: string) => db.send(new QueryCommand({ TableName, IndexName: 'byG', KeyConditionExpression: 'g = :g', ExpressionAttributeValues: { ':g': { S: g } } }));

    // A GSI of 1 RCU keeps 300 units of burst: a 250 KB entry read eventually consistent is 31.5 — ten
    // Queries take it below zero, and the eleventh is refused.
    await create('IndexReads', 1000, 1000, 1000);
    await db.send(new PutItemCommand({ TableName: 'IndexReads', Item: small('ir', 'a', { g: { S: 'G' }, data: { S: 'd'.repeat(250 * 1024) } }) }));
    assert.deepEqual(await untilRefused(() => queryG('IndexReads', 'G')), {
      served: 10, name: 'ProvisionedThroughputExceededException', message: indexText, reasons: [{ reason: 'IndexReadProvisionedThroughputExceeded', resource: index('IndexReads') }],
    });

    // On-demand maximums of 10 units a second (a second's worth kept): the table's reads, the GSI's reads and writes.
    await db.send(withIndex({ ...onDemandTable('Maxed', ...pkSk), OnDemandThroughput: { MaxReadRequestUnits: 10 } }, { OnDemandThroughput: { MaxReadRequestUnits: 10, MaxWriteRequestUnits: 10 } }));
    await db.send(new PutItemCommand({ TableName: 'Maxed', Item: big('m1', 'a', { g: { S: 'G' } }) }));
    assert.deepEqual(await untilRefused(() => db.send(new PutItemCommand({ TableName: 'Maxed', Item: small('m2', 'a', { g: { S: 'G2' } }) }))), {
      served: 0, name: 'ThrottlingException', message: onDemandText, reasons: [{ reason: 'IndexWriteMaxOnDemandThroughputExceeded', resource: index('Maxed') }],
    });
    assert.deepEqual(await untilRefused(() => db.send(new GetItemCommand({ TableName: 'Maxed', Key: small('m1'), ConsistentRead: true }))), {
      served: 1, name: 'ThrottlingException', message: onDemandText, reasons: [{ reason: 'TableReadMaxOnDemandThroughputExceeded', resource: arn('Maxed') }],
    });
    assert.deepEqual(await untilRefused(() => queryG('Maxed', 'G')), {
      served: 1, name: 'ThrottlingException', message: onDemandText, reasons: [{ reason: 'IndexReadMaxOnDemandThroughputExceeded', resource: index('Maxed') }],
    });

    // No maximum, warm for 40,000 units a second (table and GSI): the account's per-table quota is met,
    // by the table's and the GSI's writes at once, then by the table's and the GSI's reads (Scan pages
    // of an on-demand table, which its keys' partitions do not hold).
    const warm = { WarmThroughput: { ReadUnitsPerSecond: 40_000, WriteUnitsPerSecond: 40_000 } };
    await db.send(withIndex({ ...onDemandTable('QuotaAll', ...pkSk), ...warm }, warm));
    let q = 0;
    const writes = await untilRefused(() => db.send(new PutItemCommand({ TableName: 'QuotaAll', Item: big(`qa${q}`, 'a', { g: { S: `G${q++}` } }) })));
    assert.deepEqual(writes, {
      served: 101, name: 'RequestLimitExceeded', message: quotaText,
      reasons: [{ reason: 'TableWriteAccountLimitExceeded', resource: arn('QuotaAll') }, { reason: 'IndexWriteAccountLimitExceeded', resource: index('QuotaAll') }],
    });
    const scan = (IndexName?: string) => db.send(new ScanCommand({ TableName: 'QuotaAll', ...(IndexName === undefined ? { ConsistentRead: true } : { IndexName }) }));
    const tableReads = await untilRefused(() => scan());
    assert.deepEqual({ ...tableReads, served: tableReads.served > 0 }, {
      served: true, name: 'RequestLimitExceeded', message: quotaText, reasons: [{ reason: 'TableReadAccountLimitExceeded', resource: arn('QuotaAll') }],
    });
    const indexReads = await untilRefused(() => scan('byG'));
    assert.deepEqual({ ...indexReads, served: indexReads.served > 0 }, {
      served: true, name: 'RequestLimitExceeded', message: quotaText, reasons: [{ reason: 'IndexReadAccountLimitExceeded', resource: index('QuotaAll') }],
    });
  });

  // Last: it moves the clock half an hour.
  it('holds an on-demand table to its warm throughput, and to double the peak it reached at least 30 minutes before', async () => {
    await db.send(new CreateTableCommand(onDemandTable('Scaling', ...pkSk)));
    const onDemandText = 'Throughput exceeds the current capacity of your table or index. DynamoDB is automatically scaling your table or index so please try again shortly. If exceptions persist, check if you have a hot key: https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/bp-partition-key-design.html';
    /** Writes 399 KB items to keys of their own in this second of the clock until one is throttled; answers how many were written. */
    const fill = async (prefix: string): Promise<number> => {
      for (let n = 0; ; n++) {
        try {
          await db.send(new PutItemCommand({ TableName: 'Scaling', Item: big(`${prefix}${n}`) }));
        } catch (error) {
          assert.equal((error as Error).name, 'ThrottlingException');
          assert.equal((error as Error).message, onDemandText);
          assert.deepEqual((error as { ThrottlingReasons?: unknown }).ThrottlingReasons, [{ reason: 'TableWriteKeyRangeThroughputExceeded', resource: arn('Scaling') }]);
          return n;
        }
      }
    };
    // A new on-demand table is warm for 4,000 writes a second: eleven 399 KB writes (4,389 units; the
    // eleventh admitted with 10 units left) and the twelfth is throttled.
    assert.equal(await fill('a'), 11);
    // Ten minutes on, the same again: the peak of 4,389 is not 30 minutes old yet.
    await server.advanceClock(10 * 60_000);
    assert.equal(await fill('b'), 11);
    // 31 minutes after the first peak: double it, 8,778 units — twenty-two writes exactly, the twenty-third throttled.
    await server.advanceClock(21 * 60_000);
    assert.equal(await fill('c'), 22);
  });

  it('applies DescribeLimits\' maximums to provisioned capacity: per table or GSI, and over the region', async () => {
    const table = (TableName: string, read: number, write: number) => new CreateTableCommand(provisionedTable(TableName, read, write, ['pk', 'S']));
    await rejects(db.send(table('TooBig', 40_001, 1)), 'LimitExceededException',
      'Subscriber limit exceeded: A table or global secondary index may provision at most 40000 read capacity units (DescribeLimits\' TableMaxReadCapacityUnits)');
    // The tables above provision fewer than 40,000 write units together: one more of 40,000 fits, a second does not.
    await db.send(table('Large', 1, 40_000));
    await rejects(db.send(table('Larger', 1, 40_000)), 'LimitExceededException',
      'Subscriber limit exceeded: The tables and global secondary indexes of this Region may provision at most 80000 write capacity units together (DescribeLimits\' AccountMaxWriteCapacityUnits)');
    await rejects(db.send(new UpdateTableCommand({ TableName: 'Writes', ProvisionedThroughput: { ReadCapacityUnits: 1000, WriteCapacityUnits: 39_999 } })), 'LimitExceededException',
      'Subscriber limit exceeded: The tables and global secondary indexes of this Region may provision at most 80000 write capacity units together (DescribeLimits\' AccountMaxWriteCapacityUnits)');
  });
});

describe('enforcement per table (the stratusdb:enforce-capacity tag)', localOnly, () => {
  let server: ServerProcess;
  let db: DynamoDBClient;
  before(async () => {
    // No --enforce-capacity: only a table tagged true is throttled.
    server = await startServerProcess({ args: ['--test-clock', '--clock-speed', '0.000001'] });
    db = server.client('us-east-1');
  });
  after(async () => {
    await server.dispose();
  });

  it('throttles a table tagged true, and only it, from the moment it is tagged', async () => {
    const create = (TableName: string, tags: { Key: string; Value: string }[]) => db.send(new CreateTableCommand({
      ...provisionedTable(TableName, 1000, 1, ...pkSk), ...(tags.length === 0 ? {} : { Tags: tags }),
    }));
    await create('Enforced', [{ Key: 'stratusdb:enforce-capacity', Value: 'true' }]);
    await create('Free', []);
    // 1 WCU with 300 s of burst: a 399 KB write spends it, the next is throttled — on the tagged table only.
    for (const table of ['Enforced', 'Free']) await db.send(new PutItemCommand({ TableName: table, Item: big('p1') }));
    await rejects(db.send(new PutItemCommand({ TableName: 'Enforced', Item: small('p2') })), 'ProvisionedThroughputExceededException', tableText);
    for (const pk of ['p2', 'p3', 'p4']) await db.send(new PutItemCommand({ TableName: 'Free', Item: big(pk) }));
    // Tagged later, the other table is throttled from then on, starting with its whole burst.
    await db.send(new TagResourceCommand({ ResourceArn: 'arn:aws:dynamodb:us-east-1:000000000000:table/Free', Tags: [{ Key: 'stratusdb:enforce-capacity', Value: 'true' }] }));
    await db.send(new PutItemCommand({ TableName: 'Free', Item: big('p5') }));
    await rejects(db.send(new PutItemCommand({ TableName: 'Free', Item: small('p6') })), 'ProvisionedThroughputExceededException', tableText);
    // And "false" turns it off again.
    await db.send(new TagResourceCommand({ ResourceArn: 'arn:aws:dynamodb:us-east-1:000000000000:table/Enforced', Tags: [{ Key: 'stratusdb:enforce-capacity', Value: 'false' }] }));
    await db.send(new PutItemCommand({ TableName: 'Enforced', Item: big('p7') }));
  });
});

describe('a faster clock (--clock-speed)', localOnly, () => {
  let server: ServerProcess;
  let db: DynamoDBClient;
  before(async () => {
    // Ten simulated minutes a real second.
    server = await startServerProcess({ args: ['--enforce-capacity', '--clock-speed', '600'] });
    db = server.client('us-east-1');
  });
  after(async () => {
    await server.dispose();
  });

  it('refills a spent bucket in simulated time: writes that need minutes of 1 WCU get through in moments', async () => {
    await db.send(new CreateTableCommand(provisionedTable('Fast', 1000, 1, ...pkSk)));
    // Three 399 KB writes: each is admitted only once the bucket is above zero again (about 99 simulated seconds).
    let throttled = 0;
    for (const pk of ['f1', 'f2', 'f3']) {
      await until(async () => {
        try {
          await db.send(new PutItemCommand({ TableName: 'Fast', Item: big(pk) }));
          return true;
        } catch (error) {
          if ((error as Error).name !== 'ProvisionedThroughputExceededException') throw error;
          throttled++;
          return false;
        }
      }, `${pk} written once the bucket refilled`);
    }
    for (const pk of ['f1', 'f2', 'f3']) assert.equal((await db.send(new GetItemCommand({ TableName: 'Fast', Key: small(pk), ConsistentRead: true }))).Item?.['pk']?.S, pk);
    // About 200 simulated seconds of refill: at real speed, longer than until() waits.
    console.log(`# clock speed 600: three 399 KB writes at 1 WCU, throttled ${throttled} times on the way`);
  });
});

describe('admission over a long window', localOnly, () => {
  let server: ServerProcess;
  let db: DynamoDBClient;
  before(async () => {
    server = await startServerProcess({ args: ['--enforce-capacity', '--test-clock'] });
    db = server.client('us-east-1');
  });
  after(async () => {
    await server.dispose();
  });

  it('gives a client demanding more than the capacity the provisioned rate plus the burst, within 5 %', async () => {
    await db.send(new CreateTableCommand(provisionedTable('Window', 1000, 5, ...pkSk)));
    // Ten simulated minutes, a second at a time (the test moves the clock); each second the client
    // writes 10-unit items until it is throttled: twice the rate, and more, is asked for.
    const seconds = 600;
    const start = await server.advanceClock(0);
    let admitted = 0;
    let refused = 0;
    let n = 0;
    for (let s = 0; s < seconds; s++) {
      await server.advanceClock(1000);
      for (;;) {
        try {
          await db.send(new PutItemCommand({ TableName: 'Window', Item: small(`w${n++ % 50}`, 'a', { data: { S: 'd'.repeat(10 * 1024 - 100) } }) }));
          admitted += 10;
        } catch (error) {
          if ((error as Error).name !== 'ProvisionedThroughputExceededException') throw error;
          refused++;
          break;
        }
      }
    }
    // The clock also moved with real time while the test ran: the window is what the server's clock says.
    const elapsedSeconds = ((await server.advanceClock(0)) - start) / 1000;
    const expected = 5 * 300 + 5 * elapsedSeconds;
    console.log(`# admission: ${admitted} units admitted over ${elapsedSeconds.toFixed(1)} s of the clock at 5 WCU (expected ${expected.toFixed(0)}: 1,500 of burst and 5 a second); ${refused} requests refused`);
    assert.ok(Math.abs(admitted - expected) <= 0.05 * expected, `admitted ${admitted}, expected ${expected}`);
  });
});
