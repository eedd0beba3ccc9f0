// At-least-once across a crash: the server is killed with SIGKILL while a trigger's batches are in
// flight and writers are busy, then restarted on the same data. Every record of the stream reaches the
// handler at least once, each item's changes in order, none skipped: the checkpoint is durable and
// moves only after a batch is done.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import { CreateTableCommand, UpdateItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ListStreamsCommand } from '@aws-sdk/client-dynamodb-streams';
import { newDataDir, startServerProcess, type ServerProcess, localOnly } from '../helpers/server-process.js';
import { readStream } from '../helpers/stream-reader.js';
import { onDemandTable } from '../helpers/tables.js';
import { fixturesDir, invocations, writeProject } from '../helpers/trigger-project.js';
import { until } from '../helpers/until.js';

const items = 40;

async function writer(client: DynamoDBClient, id: number, count: number): Promise<number> {
  let acknowledged = 0;
  for (let i = 0; i < count; i++) {
    try {
      await client.send(new UpdateItemCommand({
        TableName: 'Ledger', Key: { id: { S: `item-${(id * 7 + i) % items}` } },
        UpdateExpression: 'ADD n :one', ExpressionAttributeValues: { ':one': { N: '1' } },
      }));
      acknowledged++;
    } catch {
      return acknowledged; // the server was killed
    }
  }
  return acknowledged;
}

describe('triggers across kill -9', localOnly, () => {
  const dataDir = newDataDir();
  const project = writeProject({});
  let server: ServerProcess | undefined;
  after(async () => server?.dispose());

  it('delivers every record at least once, in order per item, none skipped', async () => {
    mkdirSync(project.file('state'));
    writeFileSync(project.configFile, JSON.stringify({
      triggers: [{
        name: 'audit', table: 'Ledger', handler: `${fixturesDir}recording-handler.mjs#handler`, startingPosition: 'TRIM_HORIZON', batchSize: 25,
        environment: { OUT_FILE: project.file('audit.jsonl'), STATE_DIR: project.file('state'), DELAY_MS: '15' },
      }],
    }));
    const args = ['--config', project.configFile];
    const first = await startServerProcess({ dataDir, args });
    let client = first.client();
    await client.send(new CreateTableCommand({ ...onDemandTable('Ledger', ['id', 'S']), StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' } }));
    const writers = [0, 1, 2].map((id) => writer(client, id, 400));
    await until(async () => invocations(project.file('audit.jsonl')).length >= 8, 'batches in flight');
    await first.kill();
    const acknowledgedBefore = (await Promise.all(writers)).reduce((a, b) => a + b, 0);
    assert.ok(acknowledgedBefore > 0 && acknowledgedBefore < 1200, `killed mid-run (${acknowledgedBefore} writes acknowledged)`);

    server = await startServerProcess({ dataDir, args });
    client = server.client();
    const acknowledgedAfter = (await Promise.all([0, 1].map((id) => writer(client, id, 50)))).reduce((a, b) => a + b, 0);
    assert.equal(acknowledgedAfter, 100);

    const arn = (await server.streamsClient().send(new ListStreamsCommand({ TableName: 'Ledger' }))).Streams?.[0]?.StreamArn ?? '';
    const stream = await readStream(server.streamsClient(), arn);
    assert.ok(stream.length >= acknowledgedBefore + acknowledgedAfter);
    const all = new Map(stream.map((r) => [r.dynamodb?.SequenceNumber ?? '', r.dynamodb?.Keys?.['id']?.S ?? '']));
    await until(async () => {
      const delivered = new Set(invocations(project.file('audit.jsonl')).flatMap((i) => i.records.map((r) => r.seq)));
      return [...all.keys()].every((seq) => delivered.has(seq));
    }, 'every record delivered', 20_000);

    const seen = invocations(project.file('audit.jsonl'));
    // Each batch is in stream order; each item's first deliveries follow its stream order.
    for (const batch of seen) {
      const seqs = batch.records.map((r) => BigInt(r.seq));
      assert.deepEqual(seqs, [...seqs].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    }
    const firstSeen = new Map<string, string[]>();
    const delivered = new Set<string>();
    for (const record of seen.flatMap((b) => b.records)) {
      assert.ok(all.has(record.seq), `delivered record ${record.seq} is in the stream`);
      if (delivered.has(record.seq)) continue;
      delivered.add(record.seq);
      firstSeen.set(record.key, [...(firstSeen.get(record.key) ?? []), record.seq]);
    }
    for (const [key, seqs] of firstSeen) {
      const expected = [...all].filter(([, k]) => k === key).map(([seq]) => seq);
      assert.deepEqual(seqs, expected, `item ${key}: every change, in order`);
    }
    assert.equal(delivered.size, all.size);
  });
});
