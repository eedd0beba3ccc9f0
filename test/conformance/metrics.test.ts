// GET /stratusdb/metrics: the pipeline's counters — requests and errors (by exception) per operation,
// capacity units consumed per table — completed background job runs, and the replication links of global tables (none here).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CreateTableCommand, GetItemCommand, PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { startServerProcess, type ServerProcess, localOnly } from '../helpers/server-process.js';
import { authHeaders } from '../helpers/raw-request.js';
import { onDemandTable } from '../helpers/tables.js';

describe('GET /stratusdb/metrics', localOnly, () => {
  let server: ServerProcess;
  let db: DynamoDBClient;
  before(async () => {
    server = await startServerProcess({ args: ['--ttl-sweep-interval-ms', '0', '--stream-trim-interval-ms', '0'] });
    db = server.client();
  });
  after(() => server.dispose());

  it('counts requests, errors and consumed capacity exactly', async () => {
    await db.send(new CreateTableCommand(onDemandTable('Counted', ['id', 'S'])));
    for (let i = 0; i < 3; i++) await db.send(new PutItemCommand({ TableName: 'Counted', Item: { id: { S: `k${i}` }, data: { S: 'x'.repeat(1500) } } }));
    await db.send(new GetItemCommand({ TableName: 'Counted', Key: { id: { S: 'k0' } }, ConsistentRead: true }));
    await db.send(new GetItemCommand({ TableName: 'Missing', Key: { id: { S: 'k0' } } })).catch(() => undefined);
    const unknown = await fetch(server.endpoint, { method: 'POST', headers: { ...authHeaders, 'Content-Type': 'application/x-amz-json-1.0', 'X-Amz-Target': 'DynamoDB_20120810.Nope' }, body: '{}' });
    assert.equal(unknown.status, 400);
    const metrics = (await (await fetch(`${server.endpoint}/stratusdb/metrics`)).json()) as { background: Record<string, number> };
    // Auto scaling looks at the tables every second: how often it ran depends on how long the test took.
    const { 'auto-scaling': scalingRuns = 0, ...background } = metrics.background;
    assert.ok(Number.isSafeInteger(scalingRuns) && scalingRuns >= 0);
    assert.deepEqual({ ...metrics, background }, {
      operations: {
        '(unknown)': { requests: 1, errors: { UnknownOperationException: 1 } },
        CreateTable: { requests: 1, errors: {} },
        GetItem: { requests: 2, errors: { ResourceNotFoundException: 1 } },
        PutItem: { requests: 3, errors: {} },
      },
      // Three 1.5 KB writes are 2 units each; a strongly consistent 1.5 KB read is 1 unit.
      tables: { Counted: { readUnits: 1, writeUnits: 6 } },
      background: {},
      replication: [],
      strongWritesHeld: 0,
    });
  });
});
