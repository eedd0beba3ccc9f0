// maximumRecordAgeInSeconds with an injected clock (in-process server): a batch that keeps failing is
// discarded as RecordAgeExceeded once its records are older than the limit, and the trigger's
// iterator age shows how far behind it is meanwhile.
import assert from 'node:assert/strict';
import { localOnly } from '../helpers/server-process.js';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { CreateTableCommand, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { startServer, type RunningServer } from '../../src/index.js';
import { onDemandTable } from '../helpers/tables.js';
import { fixturesDir, invocations, writeProject } from '../helpers/trigger-project.js';
import { until } from '../helpers/until.js';

describe('trigger record age (injected clock)', localOnly, () => {
  let now = Date.UTC(2030, 0, 1);
  let server: RunningServer;
  let db: DynamoDBClient;
  const project = writeProject({});

  before(async () => {
    mkdirSync(project.file('state'));
    writeFileSync(project.configFile, JSON.stringify({
      triggers: [{
        name: 'aging', table: 'Aging', handler: `${fixturesDir}recording-handler.mjs`, startingPosition: 'TRIM_HORIZON',
        maximumRecordAgeInSeconds: 60, destinationOnFailure: 'aged.jsonl',
        environment: { OUT_FILE: project.file('aging.jsonl'), STATE_DIR: project.file('state') },
      }],
    }));
    server = await startServer({ port: 0, data: 'memory://', clock: { now: () => now }, configFile: project.configFile, triggerRetryBaseMs: 10, log: () => undefined });
    db = new DynamoDBClient({ endpoint: server.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' }, maxAttempts: 1 });
    await db.send(new CreateTableCommand({ ...onDemandTable('Aging', ['id', 'S']), StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' } }));
  });
  after(async () => {
    db.destroy();
    await server.close();
  });

  const status = async (): Promise<Record<string, unknown>> =>
    ((await (await fetch(`${server.endpoint}/stratusdb/triggers`)).json()) as { triggers: Record<string, unknown>[] }).triggers[0] ?? {};

  it('retries until the records are older than maximumRecordAgeInSeconds, then discards them', async () => {
    await db.send(new PutItemCommand({ TableName: 'Aging', Item: { id: { S: 'poison-old' } } }));
    await until(async () => invocations(project.file('aging.jsonl')).length >= 3, 'a few retries');
    now += 30_000;
    await until(async () => (await status())['iteratorAgeMs'] === 30_000, 'iterator age of 30 s');
    assert.equal((await status())['recordsDiscarded'], 0);
    now += 31_000;
    await until(async () => (await status())['recordsDiscarded'] === 1, 'the discard');
    // The count moves once the destination has the record.
    const record = JSON.parse(readFileSync(project.file('aged.jsonl'), 'utf8')) as { requestContext: { condition: string; approximateInvokeCount: number }; responseContext: Record<string, unknown> };
    assert.equal(record.requestContext.condition, 'RecordAgeExceeded');
    assert.ok(record.requestContext.approximateInvokeCount >= 3);
    assert.deepEqual(record.responseContext, { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' });
    // Caught up again: the next record is delivered at once and the age is back to 0.
    await db.send(new PutItemCommand({ TableName: 'Aging', Item: { id: { S: 'fresh' } } }));
    await until(async () => invocations(project.file('aging.jsonl')).some((i) => i.records[0]?.key === 'fresh'), 'the next record');
    await until(async () => (await status())['iteratorAgeMs'] === 0, 'caught up');
  });
});
