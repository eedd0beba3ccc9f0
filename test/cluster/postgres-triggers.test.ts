// A stream trigger on several nodes sharing one PostgreSQL: every node has the trigger in its project
// file, one at a time runs it (a lease), and it delivers the writes made through any node, each record
// once — none twice from two nodes. When the node running it is killed (-9), another takes the lease
// over once it expires and delivers the rest; a record is delivered twice only if it was in the batch
// under way at the kill (Lambda's at-least-once). Skipped, with the reason, without PostgreSQL.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import { CreateTableCommand, PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { freshSchemaUrl, postgresForSuite } from '../helpers/postgres-cluster.js';
import { startNodes, type ServerProcess } from '../helpers/server-process.js';
import { onDemandTable } from '../helpers/tables.js';
import { fixturesDir, invocations, writeProject } from '../helpers/trigger-project.js';
import { until } from '../helpers/until.js';

const postgres = await postgresForSuite();

const writes = 30;
const batchSize = 10;

/** The trigger's configuration in a new project directory: the recording handler, batches of 10. */
function triggerProject(): { configFile: string; audit: string } {
  const project = writeProject({});
  mkdirSync(project.file('state'));
  writeFileSync(project.configFile, JSON.stringify({
    triggers: [{ name: 'audit', table: 'Ledger', handler: `${fixturesDir}recording-handler.mjs#handler`, startingPosition: 'TRIM_HORIZON', batchSize, environment: { OUT_FILE: project.file('audit.jsonl'), STATE_DIR: project.file('state') } }],
  }));
  return { configFile: project.configFile, audit: project.file('audit.jsonl') };
}

async function recordsDelivered(node: ServerProcess): Promise<number> {
  const body = (await (await fetch(`${node.endpoint}/stratusdb/triggers`)).json()) as { triggers: { recordsDelivered: number }[] };
  return body.triggers[0]?.recordsDelivered ?? 0;
}

describe('a trigger on several nodes', { skip: postgres.skip }, () => {
  const nodes: ServerProcess[] = [];
  after(async () => {
    await Promise.all(nodes.map((n) => n.dispose()));
  });

  it('delivers every write made through either node, each record once', async () => {
    const project = triggerProject();
    const data = freshSchemaUrl(postgres.url);
    const args = ['--config', project.configFile];
    nodes.push(...(await startNodes(2, { data, args })));
    const db = nodes.map((n) => n.client());
    await db[0]?.send(new CreateTableCommand({ ...onDemandTable('Ledger', ['id', 'S']), StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' } }));
    for (let i = 0; i < writes; i++) await (db[i % 2] as DynamoDBClient).send(new PutItemCommand({ TableName: 'Ledger', Item: { id: { S: `k${i}` } } }));
    const delivered = () => invocations(project.audit).flatMap((i) => i.records);
    await until(async () => new Set(delivered().map((r) => r.key)).size === writes, 'every write delivered');
    const records = delivered();
    assert.equal(records.length, writes, 'no record delivered twice');
    assert.deepEqual(records.map((r) => r.key).sort(), Array.from({ length: writes }, (_, i) => `k${i}`).sort());
  });
  it('goes on delivering from another node when the node running it is killed', { timeout: 180_000 }, async () => {
    const project = triggerProject();
    const data = freshSchemaUrl(postgres.url);
    const trio = await startNodes(3, { data, args: ['--config', project.configFile] });
    nodes.push(...trio);
    const db = trio.map((n) => n.client());
    await db[0]?.send(new CreateTableCommand({ ...onDemandTable('Ledger', ['id', 'S']), StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' } }));
    const delivered = () => invocations(project.audit).flatMap((i) => i.records);
    const half = writes / 2;
    for (let i = 0; i < half; i++) await (db[i % 3] as DynamoDBClient).send(new PutItemCommand({ TableName: 'Ledger', Item: { id: { S: `k${i}` } } }));
    await until(async () => new Set(delivered().map((r) => r.key)).size === half, 'the first half delivered');
    // One node runs the trigger: the one that has delivered records.
    const counts = await Promise.all(trio.map(recordsDelivered));
    const runners = counts.flatMap((count, n) => (count > 0 ? [n] : []));
    assert.equal(runners.length, 1, `records delivered per node: ${counts.join(', ')}`);
    const runner = runners[0] as number;
    await trio[runner]?.kill();
    const killedAt = performance.now();
    const survivors = [0, 1, 2].filter((n) => n !== runner);
    for (let i = half; i < writes; i++) await (db[survivors[i % 2] as number] as DynamoDBClient).send(new PutItemCommand({ TableName: 'Ledger', Item: { id: { S: `k${i}` } } }));
    await until(async () => new Set(delivered().map((r) => r.key)).size === writes, 'the rest delivered by another node');
    const takeover = (performance.now() - killedAt) / 1000;
    const records = delivered();
    assert.deepEqual([...new Set(records.map((r) => r.key))].sort(), Array.from({ length: writes }, (_, i) => `k${i}`).sort());
    assert.ok(records.length <= writes + batchSize, `${records.length} deliveries of ${writes} records: more than one batch again`);
    const after = await Promise.all(survivors.map((n) => recordsDelivered(trio[n] as ServerProcess)));
    assert.equal(after.filter((count) => count > 0).length, 1, `records delivered per surviving node: ${after.join(', ')}`);
    console.log(`trigger takeover: ${records.length} deliveries of ${writes} records; the rest delivered ${takeover.toFixed(1)} s after the runner was killed`);
  });
});
