// --s3-endpoint: exports written to, and imports read from, an S3-compatible service (s3rver in the
// test process) instead of the directory standing in for S3 — the same layout as on AWS, the objects
// listed and read back through the S3 API; the table imported from the export equals its source.
import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import {
  BatchWriteItemCommand, CreateTableCommand, DescribeContinuousBackupsCommand, DescribeExportCommand, DescribeImportCommand, DescribeTableCommand, ExportTableToPointInTimeCommand,
  ImportTableCommand, UpdateContinuousBackupsCommand, type DynamoDBClient, type ExportDescription, type ImportTableDescription,
} from '@aws-sdk/client-dynamodb';
import { localOnly, startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { s3Credentials, startS3Server, type S3Server } from '../helpers/s3-server.js';
import { contents } from '../helpers/table-contents.js';
import { until } from '../helpers/until.js';

const keyed = {
  BillingMode: 'PAY_PER_REQUEST' as const,
  AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' as const }], KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' as const }],
};

describe('exports and imports through --s3-endpoint', localOnly, () => {
  let s3: S3Server;
  let server: ServerProcess;
  let db: DynamoDBClient;
  before(async () => {
    s3 = await startS3Server();
    server = await startServerProcess({
      args: ['--s3-endpoint', s3.endpoint], env: { AWS_ACCESS_KEY_ID: s3Credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: s3Credentials.secretAccessKey, AWS_REGION: 'us-east-1' },
    });
    db = server.client();
    await s3.client.send(new CreateBucketCommand({ Bucket: 'lake' }));
  });
  after(async () => {
    await server.dispose();
    await s3.close();
  });

  it('exports into the bucket in DynamoDB\'s layout, and imports the export back exactly', async () => {
    await db.send(new CreateTableCommand({ TableName: 'Orders', ...keyed }));
    await db.send(new BatchWriteItemCommand({
      RequestItems: { Orders: Array.from({ length: 20 }, (_, n) => ({ PutRequest: { Item: { id: { S: `o${n}` }, total: { N: `${n}.25` }, tags: { SS: ['a', `t${n}`] } } } })) },
    }));
    await db.send(new UpdateContinuousBackupsCommand({ TableName: 'Orders', PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }));
    await until(async () => (await db.send(new DescribeContinuousBackupsCommand({ TableName: 'Orders' }))).ContinuousBackupsDescription?.PointInTimeRecoveryDescription?.EarliestRestorableDateTime !== undefined, 'the window open');
    const TableArn = (await db.send(new DescribeTableCommand({ TableName: 'Orders' }))).Table?.TableArn as string;
    const ExportArn = (await db.send(new ExportTableToPointInTimeCommand({ TableArn, S3Bucket: 'lake', S3Prefix: 'exports' }))).ExportDescription?.ExportArn as string;
    let done: ExportDescription | undefined;
    await until(async () => (done = (await db.send(new DescribeExportCommand({ ExportArn }))).ExportDescription)?.ExportStatus !== 'IN_PROGRESS', 'the export done');
    assert.deepEqual([done?.ExportStatus, done?.ItemCount, done?.FailureMessage], ['COMPLETED', 20, undefined]);
    const id = ExportArn.slice(ExportArn.lastIndexOf('/') + 1);
    const keys = ((await s3.client.send(new ListObjectsV2Command({ Bucket: 'lake', Prefix: 'exports/' }))).Contents ?? []).map((o) => o.Key);
    assert.deepEqual(keys, [`exports/AWSDynamoDB/${id}/data/00000000.json.gz`, `exports/AWSDynamoDB/${id}/manifest-files.json`, `exports/AWSDynamoDB/${id}/manifest-summary.json`]);
    const summary = JSON.parse(await (await s3.client.send(new GetObjectCommand({ Bucket: 'lake', Key: done?.ExportManifest }))).Body?.transformToString() ?? '{}') as { itemCount: number; s3Bucket: string };
    assert.deepEqual([summary.itemCount, summary.s3Bucket], [20, 'lake']);
    const data = Buffer.from(await (await s3.client.send(new GetObjectCommand({ Bucket: 'lake', Key: keys[0] }))).Body?.transformToByteArray() ?? new Uint8Array(0));
    assert.equal(gunzipSync(data).toString('utf8').trim().split('\n').length, 20);

    const started = (await db.send(new ImportTableCommand({
      S3BucketSource: { S3Bucket: 'lake', S3KeyPrefix: `exports/AWSDynamoDB/${id}/data/` }, InputFormat: 'DYNAMODB_JSON', InputCompressionType: 'GZIP',
      TableCreationParameters: { TableName: 'OrdersFromS3', ...keyed },
    }))).ImportTableDescription as ImportTableDescription;
    let imported: ImportTableDescription | undefined;
    await until(async () => (imported = (await db.send(new DescribeImportCommand({ ImportArn: started.ImportArn }))).ImportTableDescription)?.ImportStatus !== 'IN_PROGRESS', 'the import done');
    assert.deepEqual([imported?.ImportStatus, imported?.ImportedItemCount, imported?.ErrorCount, imported?.ProcessedSizeBytes], ['COMPLETED', 20, 0, data.length]);
    assert.deepEqual(await contents(db, 'OrdersFromS3'), await contents(db, 'Orders'));
  });

  it('imports CSV put into the bucket by another client, and fails an import from a bucket S3 does not have', async () => {
    await s3.client.send(new PutObjectCommand({ Bucket: 'lake', Key: 'csv/people.csv', Body: 'id,name\np1,Ada\np2,Grace\n' }));
    const started = (await db.send(new ImportTableCommand({
      S3BucketSource: { S3Bucket: 'lake', S3KeyPrefix: 'csv/' }, InputFormat: 'CSV', TableCreationParameters: { TableName: 'People', ...keyed },
    }))).ImportTableDescription as ImportTableDescription;
    await until(async () => (await db.send(new DescribeImportCommand({ ImportArn: started.ImportArn }))).ImportTableDescription?.ImportStatus === 'COMPLETED', 'the import COMPLETED');
    assert.deepEqual(await contents(db, 'People'), ['{"id":{"S":"p1"},"name":{"S":"Ada"}}', '{"id":{"S":"p2"},"name":{"S":"Grace"}}']);
    const missing = (await db.send(new ImportTableCommand({
      S3BucketSource: { S3Bucket: 'no-such-lake' }, InputFormat: 'CSV', TableCreationParameters: { TableName: 'Never', ...keyed },
    }))).ImportTableDescription;
    assert.deepEqual([missing?.ImportStatus, missing?.FailureCode], ['FAILED', 'S3NoSuchBucket']);
  });
});
