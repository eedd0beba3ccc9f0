// Property: whatever JSON arrives, the server answers 200 or a 400 DynamoDB error — never a 500,
// a crash or a hang — and keeps serving.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { CreateBackupCommand, CreateTableCommand, DescribeTableCommand, ListTablesCommand, PutItemCommand, UpdateContinuousBackupsCommand } from '@aws-sdk/client-dynamodb';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { DescribeStreamCommand, GetShardIteratorCommand } from '@aws-sdk/client-dynamodb-streams';
import { newDataDir, startServerProcess, type ServerProcess, localOnly } from '../helpers/server-process.js';
import { callRaw } from '../helpers/raw-request.js';
import { onDemandTable } from '../helpers/tables.js';

const operations = ['CreateTable', 'DescribeTable', 'DeleteTable', 'UpdateTable', 'ListTables', 'GetItem', 'PutItem', 'DeleteItem', 'UpdateItem', 'TagResource', 'UntagResource', 'ListTagsOfResource',
  'UpdateTimeToLive', 'DescribeTimeToLive'];

/** Expression-like text: grammar pieces in random order, or random strings (100k characters at times). */
const expressionText = fc.oneof(
  fc.array(fc.constantFrom('a', 'b.c', '#n', ':v', ':w', '(', ')', '[0]', ',', ' = ', ' <> ', ' < ', ' AND ', ' OR ', 'NOT ', ' BETWEEN ', ' IN ',
    'size(', 'attribute_exists(', 'begins_with(', 'contains(', 'if_not_exists(', 'list_append(', 'SET ', 'REMOVE ', 'ADD ', 'DELETE ', ' + ', ' - '), { maxLength: 30 }).map((p) => p.join('')),
  fc.string(),
  fc.constant('('.repeat(3000) + 'a = :v' + ')'.repeat(3000)),
  fc.constant('a'.repeat(100_000)),
);

/** Bodies shaped like real requests (right member names, random values), plus arbitrary JSON. */
const attributeValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.record({ S: fc.oneof(fc.string(), fc.integer()) }),
    fc.record({ N: fc.oneof(fc.string(), fc.constantFrom('1', '-0.5', '1E+300', '01.10', '')) }),
    fc.record({ B: fc.oneof(fc.base64String(), fc.string()) }),
    fc.record({ BOOL: fc.jsonValue() }),
    fc.record({ NULL: fc.jsonValue() }),
    fc.record({ SS: fc.array(fc.string(), { maxLength: 4 }) }),
    fc.record({ NS: fc.array(fc.string(), { maxLength: 4 }) }),
    fc.record({ L: fc.array(tie('value'), { maxLength: 3 }) }),
    fc.record({ M: fc.dictionary(fc.string(), tie('value'), { maxKeys: 3 }) }),
    fc.jsonValue(),
  ),
})).value;

const body = fc.oneof(
  fc.jsonValue(),
  fc.record({
    TableName: fc.oneof(fc.constantFrom('Fuzz', 'Missing', 'ab', ''), fc.jsonValue()),
    Key: fc.dictionary(fc.constantFrom('pk', 'sk', 'x'), attributeValue, { maxKeys: 3 }),
    Item: fc.dictionary(fc.constantFrom('pk', 'sk', 'a', 'b'), attributeValue, { maxKeys: 4 }),
    ReturnValues: fc.constantFrom('NONE', 'ALL_OLD', 'ALL_NEW', 1),
    ReturnConsumedCapacity: fc.constantFrom('TOTAL', 'INDEXES', 'NONE', 'X'),
    KeySchema: fc.jsonValue(),
    AttributeDefinitions: fc.jsonValue(),
    BillingMode: fc.constantFrom('PAY_PER_REQUEST', 'PROVISIONED', 'x'),
    ProvisionedThroughput: fc.jsonValue(),
    Limit: fc.jsonValue(),
    ConditionExpression: expressionText,
    UpdateExpression: expressionText,
    ProjectionExpression: expressionText,
    ExpressionAttributeNames: fc.constantFrom({ '#n': 'n' }, {}, { bad: 'x' }),
    ExpressionAttributeValues: fc.constantFrom({ ':v': { N: '1' } }, { ':v': { S: 'x' }, ':w': { SS: ['a'] } }, {}),
    TimeToLiveSpecification: fc.oneof(fc.record({ Enabled: fc.jsonValue(), AttributeName: fc.oneof(fc.string(), fc.jsonValue()) }, { requiredKeys: [] }), fc.jsonValue()),
  }, { requiredKeys: [] }),
);

/** PartiQL-like text: statement pieces in random order (tables and keys that exist among them), or random strings. */
const statementText = fc.oneof(
  fc.array(fc.constantFrom('SELECT', '*', 'pk', 'sk', 'a.b', 'l[1]', 'FROM', '"Fuzz"', 'Fuzz', '"Fuzz"."i"', 'WHERE', 'AND', 'OR', 'NOT', '=', '<>', '<', 'IN', '[', ']',
    '(', ')', '{', '}', "'k'", ':', ',', '?', '1', '-2.5e3', '1e99999', "'x'", '<<', '>>', 'INSERT', 'INTO', 'VALUE', 'UPDATE', 'SET', 'REMOVE', 'DELETE', 'RETURNING',
    'ALL', 'NEW', 'OLD', 'EXISTS', 'IS', 'MISSING', 'NULL', 'BETWEEN', 'ORDER', 'BY', 'DESC', 'size', 'attribute_exists', 'set_add', 'list_append', '--', '/*', '#'),
  { maxLength: 25 }).map((p) => p.join(' ')),
  fc.constantFrom(`SELECT * FROM Fuzz WHERE pk = ? AND sk = ?`, `INSERT INTO Fuzz VALUE {'pk': ?, 'sk': ?}`, `UPDATE Fuzz SET a = ? WHERE pk = ? AND sk = ?`, `DELETE FROM Fuzz WHERE pk = ? AND sk = ?`),
  fc.string(),
);
const statement = fc.record({ Statement: fc.oneof(statementText, fc.jsonValue()), Parameters: fc.oneof(fc.array(attributeValue, { maxLength: 4 }), fc.jsonValue()) }, { requiredKeys: [] });
const partiqlBody = fc.oneof(
  fc.record({
    Statement: statementText, Parameters: fc.array(attributeValue, { maxLength: 4 }), NextToken: fc.oneof(fc.string(), fc.base64String()), Limit: fc.jsonValue(),
    ConsistentRead: fc.jsonValue(), Statements: fc.array(statement, { maxLength: 4 }), TransactStatements: fc.array(statement, { maxLength: 4 }),
    ClientRequestToken: fc.string(), ReturnConsumedCapacity: fc.constantFrom('TOTAL', 'INDEXES', 'NONE', 'X'),
  }, { requiredKeys: [] }),
  fc.jsonValue(),
);

/** Streams API bodies around a real stream: its ARN, shard, iterator and a sequence number, altered or not. */
function streamsBody(real: { arn: string; shardId: string; iterator: string; sequence: string }): fc.Arbitrary<unknown> {
  const mangled = (text: string) => fc.oneof(fc.constant(text), fc.constant(text.slice(0, -3)), fc.constant(`${text}x`), fc.constant(text.replace(/\d/g, '9')), fc.string(), fc.jsonValue());
  return fc.oneof(
    fc.record({
      StreamArn: mangled(real.arn), ShardId: mangled(real.shardId), ShardIterator: mangled(real.iterator), SequenceNumber: mangled(real.sequence),
      ShardIteratorType: fc.constantFrom('TRIM_HORIZON', 'LATEST', 'AT_SEQUENCE_NUMBER', 'AFTER_SEQUENCE_NUMBER', 'x', 1),
      Limit: fc.oneof(fc.integer({ min: -2, max: 1002 }), fc.jsonValue()), TableName: fc.oneof(fc.constantFrom('FuzzStream', 'Missing'), fc.jsonValue()),
      ExclusiveStartStreamArn: mangled(real.arn), ExclusiveStartShardId: mangled(real.shardId),
      ShardFilter: fc.oneof(fc.record({ Type: fc.constantFrom('CHILD_SHARDS', 'X'), ShardId: mangled(real.shardId) }, { requiredKeys: [] }), fc.jsonValue()),
    }, { requiredKeys: [] }),
    fc.jsonValue(),
  );
}

describe('request fuzzing', () => {
  let server: ServerProcess;
  before(async () => {
    server = await startServerProcess();
    await server.client().send(new CreateTableCommand(onDemandTable('Fuzz', ['pk', 'S'], ['sk', 'N'])));
  });
  after(async () => server.dispose());

  it('answers every random request with 200 or a 400 DynamoDB error', { ...localOnly, timeout: 120_000 }, async () => {
    await fc.assert(fc.asyncProperty(fc.constantFrom(...operations), body, async (op, payload) => {
      const res = await callRaw(server.endpoint, op, JSON.stringify(payload));
      assert.ok(res.status === 200 || res.status === 400, `${op} ${JSON.stringify(payload)} → ${res.status} ${res.body}`);
      if (res.status === 400) assert.match(String(res.json()['__type']), /^com\.amazon(aws\.dynamodb\.v20120810|\.coral\.(service|validate))#\w+Exception$/);
    }), { numRuns: 800 });
    // Still serving (the fuzzer may well have deleted or recreated tables: those are valid requests).
    assert.ok(Array.isArray((await server.client().send(new ListTablesCommand({}))).TableNames));
    assert.doesNotMatch(server.output(), /internal error/);
  });

  it('answers every random PartiQL request with 200 or a 400 DynamoDB error', { ...localOnly, timeout: 120_000 }, async () => {
    // The first property may have deleted the table (a valid request); put it back if so.
    await server.client().send(new CreateTableCommand(onDemandTable('Fuzz', ['pk', 'S'], ['sk', 'N']))).catch((error: Error) => {
      if (error.name !== 'ResourceInUseException') throw error;
    });
    await fc.assert(fc.asyncProperty(fc.constantFrom('ExecuteStatement', 'BatchExecuteStatement', 'ExecuteTransaction'), partiqlBody, async (op, payload) => {
      const res = await callRaw(server.endpoint, op, JSON.stringify(payload));
      assert.ok(res.status === 200 || res.status === 400, `${op} ${JSON.stringify(payload)} → ${res.status} ${res.body}`);
      if (res.status === 400) assert.match(String(res.json()['__type']), /^com\.amazon(aws\.dynamodb\.v20120810|\.coral\.(service|validate))#\w+Exception$/);
    }), { numRuns: 800 });
    assert.doesNotMatch(server.output(), /internal error/);
  });

  it('answers every random Streams API request with 200 or a 400 DynamoDB error', { ...localOnly, timeout: 120_000 }, async () => {
    const db = server.client();
    const streams = server.streamsClient();
    await db.send(new CreateTableCommand({ ...onDemandTable('FuzzStream', ['pk', 'S']), StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' } }));
    for (let i = 0; i < 3; i++) await db.send(new PutItemCommand({ TableName: 'FuzzStream', Item: { pk: { S: `k${i}` } } }));
    const arn = (await db.send(new DescribeTableCommand({ TableName: 'FuzzStream' }))).Table?.LatestStreamArn as string;
    const shard = (await streams.send(new DescribeStreamCommand({ StreamArn: arn }))).StreamDescription?.Shards?.[0];
    const shardId = shard?.ShardId as string;
    const iterator = (await streams.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' }))).ShardIterator as string;
    const sequence = shard?.SequenceNumberRange?.StartingSequenceNumber as string;
    const ops = ['ListStreams', 'DescribeStream', 'GetShardIterator', 'GetRecords'];
    await fc.assert(fc.asyncProperty(fc.constantFrom(...ops), streamsBody({ arn, shardId, iterator, sequence }), async (op, payload) => {
      const res = await callRaw(server.endpoint, op, JSON.stringify(payload), { 'X-Amz-Target': `DynamoDBStreams_20120810.${op}` });
      assert.ok(res.status === 200 || res.status === 400, `${op} ${JSON.stringify(payload)} → ${res.status} ${res.body}`);
      if (res.status === 400) assert.match(String(res.json()['__type']), /^com\.amazon(aws\.dynamodb\.v20120810|\.coral\.(service|validate))#\w+Exception$/);
    }), { numRuns: 800 });
    assert.doesNotMatch(server.output(), /internal error/);
  });
});

/** Bodies for the backup and point-in-time recovery operations: their members with random values. */
function backupBody(names: { table: string; backupArn: string }): fc.Arbitrary<unknown> {
  const anyJson = fc.jsonValue({ maxDepth: 2 });
  const name = fc.oneof(fc.constant(names.table), fc.constant('Nope'), fc.string({ maxLength: 300 }), anyJson);
  const arn = fc.oneof(fc.constant(names.backupArn), fc.constant(`${names.backupArn.slice(0, -8)}deadbeef`), fc.constant('arn:aws:dynamodb:us-east-1:000000000000:table/x/backup/../../../etc'),
    fc.string({ maxLength: 1200 }), anyJson);
  const time = fc.oneof(fc.double(), fc.integer(), fc.constant(1e300), fc.constant(-1), fc.string(), anyJson);
  const overrides = fc.record({
    BillingModeOverride: fc.oneof(fc.constantFrom('PROVISIONED', 'PAY_PER_REQUEST', ''), anyJson),
    ProvisionedThroughputOverride: fc.oneof(fc.record({ ReadCapacityUnits: fc.integer({ min: -2, max: 10 }), WriteCapacityUnits: fc.integer({ min: -2, max: 10 }) }), anyJson),
    GlobalSecondaryIndexOverride: fc.oneof(fc.constant([]), fc.array(anyJson, { maxLength: 2 })),
    SSESpecificationOverride: fc.oneof(fc.record({ Enabled: fc.boolean(), SSEType: fc.constantFrom('KMS', 'AES256', 'x') }), anyJson),
  }, { requiredKeys: [] });
  return fc.oneof(
    fc.record({ TableName: name, PointInTimeRecoverySpecification: fc.oneof(fc.record({ PointInTimeRecoveryEnabled: fc.oneof(fc.boolean(), anyJson), RecoveryPeriodInDays: fc.oneof(fc.integer({ min: -5, max: 40 }), anyJson) }, { requiredKeys: [] }), anyJson) }, { requiredKeys: [] }),
    fc.record({ TableName: name, BackupName: fc.oneof(fc.constant('fuzz-backup'), fc.string({ maxLength: 300 }), anyJson) }, { requiredKeys: [] }),
    fc.record({ BackupArn: arn }, { requiredKeys: [] }),
    fc.record({ TableName: name, Limit: fc.oneof(fc.integer({ min: -1, max: 200 }), anyJson), ExclusiveStartBackupArn: arn, BackupType: fc.oneof(fc.constantFrom('USER', 'SYSTEM', 'ALL', 'x'), anyJson), TimeRangeLowerBound: time, TimeRangeUpperBound: time }, { requiredKeys: [] }),
    fc.record({ SourceTableName: name, SourceTableArn: fc.oneof(fc.constant(`arn:aws:dynamodb:us-east-1:000000000000:table/${names.table}`), fc.string(), anyJson), TargetTableName: name, UseLatestRestorableTime: fc.oneof(fc.boolean(), anyJson), RestoreDateTime: time })
      .chain((base) => overrides.map((o) => ({ ...base, ...o }))),
    fc.record({ TargetTableName: name, BackupArn: arn }).chain((base) => overrides.map((o) => ({ ...base, ...o }))),
    fc.record({
      TableArn: fc.oneof(fc.constant(`arn:aws:dynamodb:us-east-1:000000000000:table/${names.table}`), fc.string(), anyJson),
      S3Bucket: fc.oneof(fc.constantFrom('bucket', 'a..b', '..', 'x/y'), fc.string({ maxLength: 300 }), anyJson),
      S3Prefix: fc.oneof(fc.constantFrom('daily', '../../../escape', '/abs', 'a/../../b', ''), fc.string({ maxLength: 1100 }), anyJson),
      ExportTime: time, ExportFormat: fc.oneof(fc.constantFrom('DYNAMODB_JSON', 'ION', 'x'), anyJson), ExportType: fc.oneof(fc.constantFrom('FULL_EXPORT', 'INCREMENTAL_EXPORT'), anyJson),
      ClientToken: fc.oneof(fc.string(), anyJson),
    }, { requiredKeys: [] }),
    fc.record({ ExportArn: fc.oneof(fc.constant(`arn:aws:dynamodb:us-east-1:000000000000:table/${names.table}/export/00000000000000-00000000`), fc.string({ maxLength: 1100 }), anyJson) }, { requiredKeys: [] }),
    fc.record({ TableArn: fc.oneof(fc.string(), anyJson), MaxResults: fc.oneof(fc.integer({ min: -1, max: 30 }), anyJson), NextToken: fc.oneof(fc.string(), anyJson) }, { requiredKeys: [] }),
  );
}

describe('backup and point-in-time recovery request fuzzing', () => {
  let server: ServerProcess;
  let backupArn = '';
  before(async () => {
    const dataDir = newDataDir();
    server = await startServerProcess({ dataDir, args: ['--backup-dir', join(dataDir, 'backups'), '--s3-dir', join(dataDir, 's3')] });
    const db = server.client();
    await db.send(new CreateTableCommand(onDemandTable('FuzzSource', ['pk', 'S'])));
    await db.send(new PutItemCommand({ TableName: 'FuzzSource', Item: { pk: { S: 'a' } } }));
    await db.send(new UpdateContinuousBackupsCommand({ TableName: 'FuzzSource', PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }));
    backupArn = (await db.send(new CreateBackupCommand({ TableName: 'FuzzSource', BackupName: 'FuzzBackup' }))).BackupDetails?.BackupArn as string;
  });
  after(async () => server.dispose());

  it('answers every random backup or restore request with 200 or a 400 DynamoDB error', { ...localOnly, timeout: 120_000 }, async () => {
    const ops = ['UpdateContinuousBackups', 'DescribeContinuousBackups', 'RestoreTableToPointInTime', 'CreateBackup', 'DescribeBackup', 'ListBackups', 'DeleteBackup', 'RestoreTableFromBackup',
      'ExportTableToPointInTime', 'DescribeExport', 'ListExports'];
    await fc.assert(fc.asyncProperty(fc.constantFrom(...ops), backupBody({ table: 'FuzzSource', backupArn }), async (op, payload) => {
      const res = await callRaw(server.endpoint, op, JSON.stringify(payload));
      assert.ok(res.status === 200 || res.status === 400, `${op} ${JSON.stringify(payload)} → ${res.status} ${res.body}`);
      if (res.status === 400) assert.match(String(res.json()['__type']), /^com\.amazon(aws\.dynamodb\.v20120810|\.coral\.(service|validate))#\w+Exception$/);
    }), { numRuns: 600, seed: 19 });
    assert.ok(Array.isArray((await server.client().send(new ListTablesCommand({}))).TableNames));
    assert.doesNotMatch(server.output(), /internal error|background table work failed/);
    // Nothing was written outside the server's own directory.
    assert.deepEqual(readdirSync(join(server.dataDir, '..')).filter((name) => name === 'escape' || name === 'b'), []);
  });
});
