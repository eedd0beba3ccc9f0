// Control plane through the AWS SDK against a real server process: CreateTable, DescribeTable,
// ListTables, UpdateTable, DeleteTable, tags, limits, endpoints, regions.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateBackupCommand, CreateTableCommand, DeleteTableCommand, DescribeEndpointsCommand, DescribeLimitsCommand, DescribeTableCommand,
  ListTablesCommand, ListTagsOfResourceCommand, PutItemCommand, TagResourceCommand, UntagResourceCommand, UpdateContinuousBackupsCommand, UpdateTableCommand,
  type CreateTableCommandInput, type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { startServerProcess, type ServerProcess, localOnly } from '../helpers/server-process.js';
import { rejects } from '../helpers/rejects.js';
import { onDemandTable } from '../helpers/tables.js';
import { until } from '../helpers/until.js';

const hashOnly = (name: string, extra: Partial<CreateTableCommandInput> = {}): CreateTableCommandInput => ({
  ...onDemandTable(name, ['id', 'S']),
  ...extra,
});


describe('control plane', () => {
  let server: ServerProcess;
  let db: DynamoDBClient;
  before(async () => {
    server = await startServerProcess();
    db = server.client();
  });
  after(async () => server.dispose());

  it('creates a provisioned table with a sort key and describes it with every field', async () => {
    const created = await db.send(new CreateTableCommand({
      TableName: 'Orders',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'N' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
      ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 3 },
      Tags: [{ Key: 'env', Value: 'test' }],
    }));
    const d = created.TableDescription;
    assert.ok(d);
    assert.equal(d.TableStatus, 'ACTIVE');
    assert.equal(d.TableArn, 'arn:aws:dynamodb:us-east-1:000000000000:table/Orders');
    assert.deepEqual(d.ProvisionedThroughput, { NumberOfDecreasesToday: 0, ReadCapacityUnits: 5, WriteCapacityUnits: 3 });
    assert.equal(d.ItemCount, 0);
    assert.equal(d.TableSizeBytes, 0);
    assert.equal(d.DeletionProtectionEnabled, false);
    assert.equal(d.BillingModeSummary, undefined);
    assert.match(d.TableId ?? '', /^[0-9a-f-]{36}$/);
    assert.ok(d.CreationDateTime instanceof Date);
    const described = await db.send(new DescribeTableCommand({ TableName: 'Orders' }));
    assert.deepEqual(described.Table?.KeySchema, [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }]);
    assert.equal(described.Table?.TableId, d.TableId);
  });

  it('keeps live ItemCount and TableSizeBytes', async () => {
    await db.send(new CreateTableCommand(hashOnly('Counted')));
    await db.send(new PutItemCommand({ TableName: 'Counted', Item: { id: { S: 'a' }, n: { N: '12' } } }));
    await db.send(new PutItemCommand({ TableName: 'Counted', Item: { id: { S: 'b' } } }));
    const t = (await db.send(new DescribeTableCommand({ TableName: 'Counted' }))).Table;
    assert.equal(t?.ItemCount, 2);
    // id:"a" = 2+1, n:12 = 1+2, id:"b" = 2+1
    assert.equal(t?.TableSizeBytes, 9);
    assert.equal(t?.BillingModeSummary?.BillingMode, 'PAY_PER_REQUEST');
  });

  it('refuses a second table of the same name', async () => {
    await db.send(new CreateTableCommand(hashOnly('Dup')));
    await rejects(db.send(new CreateTableCommand(hashOnly('Dup'))), 'ResourceInUseException', 'Table already exists: Dup');
  });

  it('lists tables in order with paging', async () => {
    const local = server.client('ap-south-1');
    for (const name of ['gamma', 'alpha', 'beta', 'Zeta']) await local.send(new CreateTableCommand(hashOnly(name)));
    assert.deepEqual((await local.send(new ListTablesCommand({}))).TableNames, ['Zeta', 'alpha', 'beta', 'gamma']);
    const first = await local.send(new ListTablesCommand({ Limit: 2 }));
    assert.deepEqual(first.TableNames, ['Zeta', 'alpha']);
    assert.equal(first.LastEvaluatedTableName, 'alpha');
    const second = await local.send(new ListTablesCommand({ Limit: 2, ExclusiveStartTableName: 'alpha' }));
    assert.deepEqual(second.TableNames, ['beta', 'gamma']);
    assert.equal(second.LastEvaluatedTableName, undefined);
  });

  it('scopes tables by the region of the credential', async () => {
    const west = server.client('eu-west-1');
    await west.send(new CreateTableCommand(hashOnly('Regional')));
    const d = await west.send(new DescribeTableCommand({ TableName: 'Regional' }));
    assert.equal(d.Table?.TableArn, 'arn:aws:dynamodb:eu-west-1:000000000000:table/Regional');
    await rejects(db.send(new DescribeTableCommand({ TableName: 'Regional' })), 'ResourceNotFoundException', 'Requested resource not found: Table: Regional not found');
    assert.ok(!(await db.send(new ListTablesCommand({}))).TableNames?.includes('Regional'));
  });

  it('updates throughput with decrease accounting', async () => {
    await db.send(new CreateTableCommand({ ...hashOnly('Throughput'), BillingMode: 'PROVISIONED', ProvisionedThroughput: { ReadCapacityUnits: 10, WriteCapacityUnits: 10 } }));
    const up = await db.send(new UpdateTableCommand({ TableName: 'Throughput', ProvisionedThroughput: { ReadCapacityUnits: 20, WriteCapacityUnits: 10 } }));
    assert.equal(up.TableDescription?.ProvisionedThroughput?.ReadCapacityUnits, 20);
    assert.ok(up.TableDescription?.ProvisionedThroughput?.LastIncreaseDateTime instanceof Date);
    const down = await db.send(new UpdateTableCommand({ TableName: 'Throughput', ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 10 } }));
    assert.equal(down.TableDescription?.ProvisionedThroughput?.NumberOfDecreasesToday, 1);
    await rejects(
      db.send(new UpdateTableCommand({ TableName: 'Throughput', ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 10 } })),
      'ValidationException',
      'The provisioned throughput for the table will not change. The requested value equals the current value. Current ReadCapacityUnits provisioned for the table: 5. Requested ReadCapacityUnits: 5. Current WriteCapacityUnits provisioned for the table: 10. Requested WriteCapacityUnits: 10. Refer to the Amazon DynamoDB Developer Guide for current limits and how to request higher limits.',
    );
    for (let units = 4; units >= 2; units--) {
      await db.send(new UpdateTableCommand({ TableName: 'Throughput', ProvisionedThroughput: { ReadCapacityUnits: units, WriteCapacityUnits: 10 } }));
    }
    await assert.rejects(
      db.send(new UpdateTableCommand({ TableName: 'Throughput', ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 10 } })),
      { name: 'LimitExceededException' },
    );
  });

  it('switches billing modes both ways', async () => {
    await db.send(new CreateTableCommand({ ...hashOnly('Billing'), BillingMode: 'PROVISIONED', ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } }));
    const ondemand = await db.send(new UpdateTableCommand({ TableName: 'Billing', BillingMode: 'PAY_PER_REQUEST' }));
    assert.equal(ondemand.TableDescription?.BillingModeSummary?.BillingMode, 'PAY_PER_REQUEST');
    assert.deepEqual(ondemand.TableDescription?.ProvisionedThroughput, { NumberOfDecreasesToday: 0, ReadCapacityUnits: 0, WriteCapacityUnits: 0 });
    await rejects(
      db.send(new UpdateTableCommand({ TableName: 'Billing', ProvisionedThroughput: { ReadCapacityUnits: 2, WriteCapacityUnits: 2 } })),
      'ValidationException',
      'One or more parameter values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST',
    );
    await rejects(
      db.send(new UpdateTableCommand({ TableName: 'Billing', BillingMode: 'PROVISIONED' })),
      'ValidationException',
      'One or more parameter values were invalid: ProvisionedThroughput must be specified when BillingMode is PROVISIONED',
    );
    const back = await db.send(new UpdateTableCommand({ TableName: 'Billing', BillingMode: 'PROVISIONED', ProvisionedThroughput: { ReadCapacityUnits: 3, WriteCapacityUnits: 4 } }));
    assert.equal(back.TableDescription?.BillingModeSummary?.BillingMode, 'PROVISIONED');
    assert.equal(back.TableDescription?.ProvisionedThroughput?.WriteCapacityUnits, 4);
  });

  it('enables and disables a stream with new labels', async () => {
    await db.send(new CreateTableCommand(hashOnly('Streamed')));
    const on = await db.send(new UpdateTableCommand({ TableName: 'Streamed', StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' } }));
    assert.deepEqual(on.TableDescription?.StreamSpecification, { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' });
    const label = on.TableDescription?.LatestStreamLabel ?? '';
    assert.match(label, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}$/);
    assert.equal(on.TableDescription?.LatestStreamArn, `arn:aws:dynamodb:us-east-1:000000000000:table/Streamed/stream/${label}`);
    await rejects(
      db.send(new UpdateTableCommand({ TableName: 'Streamed', StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' } })),
      'ValidationException', 'Table already has an enabled stream: TableName: Streamed',
    );
    const off = await db.send(new UpdateTableCommand({ TableName: 'Streamed', StreamSpecification: { StreamEnabled: false } }));
    assert.equal(off.TableDescription?.StreamSpecification, undefined);
    assert.equal(off.TableDescription?.LatestStreamLabel, label);
  });

  it('honours deletion protection and table class', async () => {
    await db.send(new CreateTableCommand(hashOnly('Protected', { DeletionProtectionEnabled: true, TableClass: 'STANDARD_INFREQUENT_ACCESS' })));
    const d = await db.send(new DescribeTableCommand({ TableName: 'Protected' }));
    assert.equal(d.Table?.DeletionProtectionEnabled, true);
    assert.deepEqual(d.Table?.TableClassSummary, { TableClass: 'STANDARD_INFREQUENT_ACCESS' });
    await rejects(db.send(new DeleteTableCommand({ TableName: 'Protected' })), 'ValidationException',
      'Resource cannot be deleted as it is currently protected against deletion. Disable deletion protection first.');
    await db.send(new UpdateTableCommand({ TableName: 'Protected', DeletionProtectionEnabled: false }));
    const deleted = await db.send(new DeleteTableCommand({ TableName: 'Protected' }));
    assert.equal(deleted.TableDescription?.TableStatus, 'DELETING');
    await rejects(db.send(new DescribeTableCommand({ TableName: 'Protected' })), 'ResourceNotFoundException', 'Requested resource not found: Table: Protected not found');
  });

  it('describes a deleted table as DynamoDB does on delete: no key schema, attribute definitions, creation time or indexes', async () => {
    await db.send(new CreateTableCommand({
      TableName: 'Described', BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: 'p', KeyType: 'HASH' }, { AttributeName: 'c', KeyType: 'RANGE' }],
      AttributeDefinitions: [{ AttributeName: 'p', AttributeType: 'S' }, { AttributeName: 'c', AttributeType: 'S' }, { AttributeName: 'x', AttributeType: 'S' }],
      GlobalSecondaryIndexes: [{ IndexName: 'byX', KeySchema: [{ AttributeName: 'x', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }],
      LocalSecondaryIndexes: [{ IndexName: 'localX', KeySchema: [{ AttributeName: 'p', KeyType: 'HASH' }, { AttributeName: 'x', KeyType: 'RANGE' }], Projection: { ProjectionType: 'ALL' } }],
    }));
    const described = (await db.send(new DescribeTableCommand({ TableName: 'Described' }))).Table ?? {};
    const deleted = (await db.send(new DeleteTableCommand({ TableName: 'Described' }))).TableDescription ?? {};
    for (const field of ['KeySchema', 'AttributeDefinitions', 'CreationDateTime', 'GlobalSecondaryIndexes', 'LocalSecondaryIndexes'] as const) {
      assert.ok(field in described, field);
      assert.ok(!(field in deleted), field);
    }
    assert.deepEqual([deleted.TableName, deleted.TableStatus, deleted.TableId, deleted.TableArn, deleted.ItemCount, deleted.TableSizeBytes], ['Described', 'DELETING', described.TableId, described.TableArn, 0, 0]);
    assert.deepEqual(deleted.ProvisionedThroughput, { NumberOfDecreasesToday: 0, ReadCapacityUnits: 0, WriteCapacityUnits: 0 });
    assert.deepEqual(deleted.BillingModeSummary, described.BillingModeSummary);
  });

  it('deletes a table with its items; a new table of that name starts empty', async () => {
    await db.send(new CreateTableCommand(hashOnly('Recycled')));
    await db.send(new PutItemCommand({ TableName: 'Recycled', Item: { id: { S: 'x' } } }));
    await db.send(new DeleteTableCommand({ TableName: 'Recycled' }));
    await rejects(db.send(new PutItemCommand({ TableName: 'Recycled', Item: { id: { S: 'x' } } })), 'ResourceNotFoundException', 'Requested resource not found');
    await db.send(new CreateTableCommand(hashOnly('Recycled')));
    assert.equal((await db.send(new DescribeTableCommand({ TableName: 'Recycled' }))).Table?.ItemCount, 0);
  });

  it('tags, untags and lists tags by ARN', async () => {
    const arn = 'arn:aws:dynamodb:us-east-1:000000000000:table/Orders';
    await db.send(new TagResourceCommand({ ResourceArn: arn, Tags: [{ Key: 'team', Value: 'core' }, { Key: 'env', Value: 'prod' }] }));
    assert.deepEqual((await db.send(new ListTagsOfResourceCommand({ ResourceArn: arn }))).Tags, [{ Key: 'env', Value: 'prod' }, { Key: 'team', Value: 'core' }]);
    await db.send(new UntagResourceCommand({ ResourceArn: arn, TagKeys: ['env'] }));
    assert.deepEqual((await db.send(new ListTagsOfResourceCommand({ ResourceArn: arn }))).Tags, [{ Key: 'team', Value: 'core' }]);
    await rejects(db.send(new ListTagsOfResourceCommand({ ResourceArn: 'arn:aws:dynamodb:us-east-1:000000000000:table/Nope' })),
      'ResourceNotFoundException', 'Requested resource not found: ResourceArn: arn:aws:dynamodb:us-east-1:000000000000:table/Nope not found');
  });

  it('takes tags in any script with AWS tag punctuation, and all-or-nothing', async () => {
    const arn = 'arn:aws:dynamodb:us-east-1:000000000000:table/Orders';
    const tags = [{ Key: 'ключ', Value: 'café' }, { Key: '表', Value: 'a+b-c=d.e_f:g/h@i' }, { Key: 'space key', Value: '' }];
    await db.send(new TagResourceCommand({ ResourceArn: arn, Tags: tags }));
    const listed = (await db.send(new ListTagsOfResourceCommand({ ResourceArn: arn }))).Tags ?? [];
    assert.deepEqual(tags.map((t) => listed.find((l) => l.Key === t.Key)), tags);
    await rejects(db.send(new TagResourceCommand({ ResourceArn: arn, Tags: [{ Key: 'fine', Value: 'v' }, { Key: 'a&b', Value: 'v' }] })),
      'ValidationException', 'The Tag Key provided is invalid, Key: a&b');
    assert.equal((await db.send(new ListTagsOfResourceCommand({ ResourceArn: arn }))).Tags?.some((t) => t.Key === 'fine'), false);
    await db.send(new UntagResourceCommand({ ResourceArn: arn, TagKeys: tags.map((t) => t.Key) }));
  });

  it('describes warm throughput as AWS does: on-demand starts at 12,000 / 4,000, provisioned follows its highest capacity', async () => {
    const warm = async (name: string) => {
      const w = (await db.send(new DescribeTableCommand({ TableName: name }))).Table?.WarmThroughput;
      return [w?.ReadUnitsPerSecond, w?.WriteUnitsPerSecond];
    };
    await db.send(new CreateTableCommand({ ...onDemandTable('WarmOnDemand', ['id', 'S']), WarmThroughput: { ReadUnitsPerSecond: 12001 } }));
    assert.deepEqual(await warm('WarmOnDemand'), [12001, 4000]);
    await db.send(new CreateTableCommand({ ...onDemandTable('WarmProvisioned', ['id', 'S']), BillingMode: 'PROVISIONED', ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } }));
    assert.deepEqual(await warm('WarmProvisioned'), [1, 1]);
    await db.send(new UpdateTableCommand({ TableName: 'WarmProvisioned', ProvisionedThroughput: { ReadCapacityUnits: 3, WriteCapacityUnits: 3 } }));
    await db.send(new UpdateTableCommand({ TableName: 'WarmProvisioned', ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 2 } }));
    assert.deepEqual(await warm('WarmProvisioned'), [3, 3]);
    await rejects(db.send(new UpdateTableCommand({ TableName: 'WarmProvisioned', WarmThroughput: { ReadUnitsPerSecond: 2, WriteUnitsPerSecond: 2 } })), 'ValidationException',
      'One or more parameter values were invalid: Requested ReadUnitsPerSecond for WarmThroughput for table is lower than current WarmThroughput, decreasing WarmThroughput is not supported');
    await db.send(new UpdateTableCommand({ TableName: 'WarmProvisioned', WarmThroughput: { ReadUnitsPerSecond: 50, WriteUnitsPerSecond: 50 } }));
    assert.deepEqual(await warm('WarmProvisioned'), [50, 50]);
    await db.send(new UpdateTableCommand({ TableName: 'WarmProvisioned', BillingMode: 'PAY_PER_REQUEST' }));
    assert.deepEqual(await warm('WarmProvisioned'), [12000, 4000]);
    await db.send(new UpdateTableCommand({ TableName: 'WarmProvisioned', BillingMode: 'PROVISIONED', ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } }));
    assert.deepEqual(await warm('WarmProvisioned'), [12000, 4000]);
  });

  it('describes limits and endpoints', async () => {
    const limits = await db.send(new DescribeLimitsCommand({}));
    assert.equal(limits.AccountMaxReadCapacityUnits, 80000);
    assert.equal(limits.TableMaxWriteCapacityUnits, 40000);
    const endpoints = await db.send(new DescribeEndpointsCommand({}));
    assert.equal(endpoints.Endpoints?.[0]?.Address, new URL(server.endpoint).host);
    assert.equal(endpoints.Endpoints?.[0]?.CachePeriodInMinutes, 1440);
  });

  it('keeps tables across a restart', localOnly, async () => {
    const dataDir = server.dataDir;
    await server.stop();
    server = await startServerProcess({ dataDir });
    db = server.client();
    const t = await db.send(new DescribeTableCommand({ TableName: 'Counted' }));
    assert.equal(t.Table?.ItemCount, 2);
    assert.deepEqual((await db.send(new ListTagsOfResourceCommand({ ResourceArn: 'arn:aws:dynamodb:us-east-1:000000000000:table/Orders' }))).Tags, [{ Key: 'team', Value: 'core' }]);
  });
});

describe('transient table statuses (--table-status-delay-ms)', localOnly, () => {
  // An hour on the server's clock, which the test moves (--test-clock): a transient status lasts
  // exactly until the test lets it end, however slow the machine.
  const delayMs = 60 * 60 * 1000;
  let server: ServerProcess;
  let db: DynamoDBClient;
  before(async () => {
    server = await startServerProcess({ args: ['--table-status-delay-ms', String(delayMs), '--test-clock'] });
    db = server.client();
  });
  after(async () => server.dispose());

  /** Lets the transient status end (the clock moves past it), then polls DescribeTable like the SDK's waiters; undefined once the table is gone. */
  async function waitForStatus(name: string, status: string | undefined): Promise<void> {
    await server.advanceClock(delayMs);
    await until(async () => (await db.send(new DescribeTableCommand({ TableName: name })).then((d) => d.Table?.TableStatus, () => undefined)) === status, `${name} ${status ?? 'gone'}`);
  }

  it('goes CREATING → ACTIVE → UPDATING → ACTIVE → DELETING → gone, refusing what DynamoDB refuses meanwhile', async () => {
    const created = await db.send(new CreateTableCommand(hashOnly('Slow')));
    assert.equal(created.TableDescription?.TableStatus, 'CREATING');
    await rejects(db.send(new PutItemCommand({ TableName: 'Slow', Item: { id: { S: 'a' } } })), 'ResourceNotFoundException', 'Requested resource not found');
    await rejects(db.send(new UpdateContinuousBackupsCommand({ TableName: 'Slow', PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } })),
      'ContinuousBackupsUnavailableException', 'Backups are being enabled for the table: Slow. Please retry later');
    await rejects(db.send(new CreateBackupCommand({ TableName: 'Slow', BackupName: 'SlowBackup' })), 'TableInUseException', 'Table is being created or deleted: Slow');
    await rejects(db.send(new DeleteTableCommand({ TableName: 'Slow' })), 'ResourceInUseException',
      'Attempt to change a resource which is still in use: Table is being created: Slow');
    await waitForStatus('Slow', 'ACTIVE');
    const updating = await db.send(new UpdateTableCommand({ TableName: 'Slow', DeletionProtectionEnabled: true }));
    assert.equal(updating.TableDescription?.TableStatus, 'UPDATING');
    await db.send(new PutItemCommand({ TableName: 'Slow', Item: { id: { S: 'a' } } }));
    await waitForStatus('Slow', 'ACTIVE');
    await db.send(new UpdateTableCommand({ TableName: 'Slow', DeletionProtectionEnabled: false }));
    await waitForStatus('Slow', 'ACTIVE');
    assert.equal((await db.send(new DeleteTableCommand({ TableName: 'Slow' }))).TableDescription?.TableStatus, 'DELETING');
    assert.equal((await db.send(new DescribeTableCommand({ TableName: 'Slow' }))).Table?.TableStatus, 'DELETING');
    await waitForStatus('Slow', undefined);
    await rejects(db.send(new DescribeTableCommand({ TableName: 'Slow' })), 'ResourceNotFoundException', 'Requested resource not found: Table: Slow not found');
  });
});

describe('--shared-db', () => {
  it('shows every region the same tables', localOnly, async () => {
    const server = await startServerProcess({ args: ['--shared-db'] });
    try {
      await server.client('us-west-2').send(new CreateTableCommand(hashOnly('Shared')));
      const names = (await server.client('eu-central-1').send(new ListTablesCommand({}))).TableNames;
      assert.deepEqual(names, ['Shared']);
    } finally {
      await server.dispose();
    }
  });
});
