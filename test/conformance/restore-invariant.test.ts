// The restore invariant: random writes of every kind — PutItem, UpdateItem, DeleteItem, BatchWriteItem,
// TransactWriteItems and TTL deletions — over simulated weeks (the server's clock moved by whole hours
// between steps), then restores to many of the moments between steps: each restored table, and its
// global secondary index, equals a model of the table at that moment exactly — and so does an export
// of that moment. Seeded; a real server
// process, on LMDB (and on PostgreSQL in CI's second pass).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  BatchWriteItemCommand, CreateTableCommand, DeleteItemCommand, DescribeContinuousBackupsCommand, DescribeExportCommand, DescribeTableCommand, DynamoDBClient,
  ExportTableToPointInTimeCommand, PutItemCommand,
  RestoreTableToPointInTimeCommand, TransactWriteItemsCommand, UpdateContinuousBackupsCommand, UpdateItemCommand, UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { localOnly, newDataDir, startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { seededRandom } from '../helpers/seeded-random.js';
import { canonical, contents, type Item } from '../helpers/table-contents.js';
import { until } from '../helpers/until.js';
import { afterFullRun } from '../helpers/background-runs.js';

const hourMs = 60 * 60 * 1000;
const steps = 24;
const writesPerStep = 8;
const restores = 6;
const keys = 16;

/** The items of the one export under `<bucket>/<prefix>/AWSDynamoDB/`, as canonical lines. */
function exported(bucket: string, prefix: string): string[] {
  const root = join(bucket, prefix, 'AWSDynamoDB');
  const [id] = readdirSync(root);
  const files = readFileSync(join(root, id as string, 'manifest-files.json'), 'utf8').trim().split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as { dataFileS3Key: string });
  const lines = files.flatMap((f) => gunzipSync(readFileSync(join(bucket, f.dataFileS3Key))).toString('utf8').split('\n').filter((line) => line !== ''));
  return lines.map((line) => canonical((JSON.parse(line) as { Item: Item }).Item)).sort();
}

describe('restore invariant', localOnly, () => {
  let server: ServerProcess;
  let db: DynamoDBClient;
  before(async () => {
    const dataDir = newDataDir();
    server = await startServerProcess({ dataDir, args: ['--test-clock', '--ttl-sweep-interval-ms', '20', '--pitr-prune-interval-ms', '0', '--s3-dir', join(dataDir, 's3')] });
    db = server.client();
  });
  after(async () => {
    await server.dispose();
  });

  it(`restores ${restores} random moments of ${steps} steps of random writes exactly, index included (seed 19)`, async () => {
    const random = seededRandom(19);
    const pick = (n: number): number => Math.floor(random() * n);
    await db.send(new CreateTableCommand({
      TableName: 'Ledger', BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }, { AttributeName: 'g', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      GlobalSecondaryIndexes: [{ IndexName: 'byG', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }],
    }));
    await db.send(new UpdateTimeToLiveCommand({ TableName: 'Ledger', TimeToLiveSpecification: { Enabled: true, AttributeName: 'expires' } }));
    await db.send(new UpdateContinuousBackupsCommand({ TableName: 'Ledger', PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }));
    await until(async () => (await db.send(new DescribeContinuousBackupsCommand({ TableName: 'Ledger' }))).ContinuousBackupsDescription?.PointInTimeRecoveryDescription?.EarliestRestorableDateTime !== undefined, 'the recovery window');

    const model = new Map<string, Item>();
    const moments: { at: number; table: string[]; index: string[] }[] = [];
    let expired = 0;
    let now = await server.advanceClock(hourMs);
    const key = (): string => `k${pick(keys)}`;
    // Expiry on a half hour, between the whole hours the clock moves by: never on a sweep's edge.
    const newItem = (id: string): Item => ({
      id: { S: id }, n: { N: String(pick(1000)) },
      ...(random() < 0.7 ? { g: { S: `g${pick(4)}` } } : {}),
      ...(random() < 0.3 ? { expires: { N: String(Math.floor(now / hourMs + 1 + pick(30)) * 3600 + 1800) } } : {}),
    });
    for (let step = 0; step < steps; step++) {
      for (let w = 0; w < writesPerStep; w++) {
        const kind = pick(5);
        if (kind === 0) {
          const item = newItem(key());
          await db.send(new PutItemCommand({ TableName: 'Ledger', Item: item }));
          model.set(item['id']?.S as string, item);
        } else if (kind === 1) {
          const id = key();
          const n = String(pick(1000));
          const removeG = random() < 0.3;
          await db.send(new UpdateItemCommand({
            TableName: 'Ledger', Key: { id: { S: id } }, UpdateExpression: removeG ? 'SET n = :n REMOVE g' : 'SET n = :n', ExpressionAttributeValues: { ':n': { N: n } },
          }));
          const next: Item = { ...(model.get(id) ?? { id: { S: id } }), n: { N: n } };
          if (removeG) delete next['g'];
          model.set(id, next);
        } else if (kind === 2) {
          const id = key();
          await db.send(new DeleteItemCommand({ TableName: 'Ledger', Key: { id: { S: id } } }));
          model.delete(id);
        } else if (kind === 3) {
          const ids = [...new Set([key(), key(), key()])];
          const puts = ids.map((id) => (random() < 0.5 ? { put: newItem(id) } : { del: id }));
          await db.send(new BatchWriteItemCommand({
            RequestItems: { Ledger: puts.map((p) => ('put' in p ? { PutRequest: { Item: p.put } } : { DeleteRequest: { Key: { id: { S: p.del } } } })) },
          }));
          for (const p of puts) {
            if ('put' in p) model.set(p.put['id']?.S as string, p.put);
            else model.delete(p.del);
          }
        } else {
          const [a, b] = [key(), key()];
          if (a === b) continue;
          const item = newItem(a);
          await db.send(new TransactWriteItemsCommand({
            TransactItems: [{ Put: { TableName: 'Ledger', Item: item } }, { Delete: { TableName: 'Ledger', Key: { id: { S: b } } } }],
          }));
          model.set(a, item);
          model.delete(b);
        }
      }
      // Every write of this step is dated no later than the clock reads before it moves on.
      const advance = (1 + pick(24)) * hourMs;
      const next = await server.advanceClock(advance);
      moments.push({
        at: next - advance,
        table: [...model.values()].map(canonical).sort(),
        index: [...model.values()].filter((item) => item['g'] !== undefined).map(canonical).sort(),
      });
      now = next;
      // Items that expired by now are deleted by the next whole sweep, dated in this step.
      await afterFullRun(server.endpoint, 'ttl-sweep');
      for (const [id, item] of model) {
        if (item['expires'] === undefined || Number(item['expires'].N) * 1000 > now) continue;
        model.delete(id);
        expired += 1;
      }
    }
    assert.ok(expired > 0, 'TTL deleted items along the way');
    assert.deepEqual(await contents(db, 'Ledger'), [...model.values()].map(canonical).sort(), 'the live table matches the model');

    const chosen = new Set<number>();
    while (chosen.size < restores) chosen.add(pick(moments.length));
    for (const i of [...chosen].sort((a, b) => a - b)) {
      const moment = moments[i] as (typeof moments)[number];
      const target = `Ledger${i}`;
      await db.send(new RestoreTableToPointInTimeCommand({ SourceTableName: 'Ledger', TargetTableName: target, RestoreDateTime: new Date(moment.at) }));
      await until(async () => (await db.send(new DescribeTableCommand({ TableName: target }))).Table?.TableStatus === 'ACTIVE', `${target} restored`);
      assert.deepEqual(await contents(db, target), moment.table, `the table after step ${i}`);
      assert.deepEqual(await contents(db, target, 'byG'), moment.index, `its index after step ${i}`);
      // An export of the same moment holds the same items.
      const TableArn = (await db.send(new DescribeTableCommand({ TableName: 'Ledger' }))).Table?.TableArn as string;
      const ExportArn = (await db.send(new ExportTableToPointInTimeCommand({ TableArn, S3Bucket: 'invariant', S3Prefix: `step${i}`, ExportTime: new Date(moment.at) }))).ExportDescription?.ExportArn as string;
      await until(async () => (await db.send(new DescribeExportCommand({ ExportArn }))).ExportDescription?.ExportStatus === 'COMPLETED', `the export of step ${i}`);
      assert.deepEqual(exported(join(server.dataDir, 's3', 'invariant'), `step${i}`), moment.table, `the export after step ${i}`);
    }
  });
});
