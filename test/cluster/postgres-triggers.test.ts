// A stream trigger on several nodes sharing one PostgreSQL: every node has the trigger in its project
// file, one at a time runs it (a lease), and it delivers the writes made through any node, each record
// once — none twice from two nodes. Skipped, with the reason, without PostgreSQL.
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

describe('a trigger on two nodes', { skip: postgres.skip }, () => {
  const nodes: ServerProcess[] = [];
  after(async () => {
    await Promise.all(nodes.map((n) => n.dispose()));
  });

  it('delivers every write made through either node, each record once', async () => {
    const project = writeProject({});
    mkdirSync(project.file('state'));
    writeFileSync(project.configFile, JSON.stringify({
      triggers: [{ name: 'audit', table: 'Ledger', handler: `${fixturesDir}recording-handler.mjs#handler`, startingPosition: 'TRIM_HORIZON', batchSize: 10, environment: { OUT_FILE: project.file('audit.jsonl'), STATE_DIR: project.file('state') } }],
    }));
    const data = freshSchemaUrl(postgres.url);
    const args = ['--config', project.configFile];
    nodes.push(...(await startNodes(2, { data, args })));
    const db = nodes.map((n) => n.client());
    await db[0]?.send(new CreateTableCommand({ ...onDemandTable('Ledger', ['id', 'S']), StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' } }));
    for (let i = 0; i < writes; i++) await (db[i % 2] as DynamoDBClient).send(new PutItemCommand({ TableName: 'Ledger', Item: { id: { S: `k${i}` } } }));
    const delivered = () => invocations(project.file('audit.jsonl')).flatMap((i) => i.records);
    await until(async () => new Set(delivered().map((r) => r.key)).size === writes, 'every write delivered');
    const records = delivered();
    assert.equal(records.length, writes, 'no record delivered twice');
    assert.deepEqual(records.map((r) => r.key).sort(), Array.from({ length: writes }, (_, i) => `k${i}`).sort());
  });
});
