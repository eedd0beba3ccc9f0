// startServer() in-process: the embedding API test suites use; servers share no state.
import assert from 'node:assert/strict';
import { localOnly } from '../helpers/server-process.js';
import { describe, it } from 'node:test';
import { CreateTableCommand, DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { startServer } from '../../src/index.js';

const client = (endpoint: string): DynamoDBClient =>
  new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });

describe('embedded server', () => {
  it('runs two in-memory servers in one process without shared state', localOnly, async () => {
    const one = await startServer({ port: 0, data: 'memory://' });
    const two = await startServer({ port: 0, data: 'memory://' });
    try {
      assert.match(one.endpoint, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.notEqual(one.port, two.port);
      const a = client(one.endpoint);
      const b = client(two.endpoint);
      await a.send(new CreateTableCommand({
        TableName: 'OnlyInOne', BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      }));
      assert.deepEqual((await a.send(new ListTablesCommand({}))).TableNames, ['OnlyInOne']);
      assert.deepEqual((await b.send(new ListTablesCommand({}))).TableNames, []);
      a.destroy();
      b.destroy();
    } finally {
      await one.close();
      await two.close();
    }
  });

  it('uses an injected clock for table timestamps', localOnly, async () => {
    const fixed = Date.UTC(2030, 0, 2, 3, 4, 5);
    const server = await startServer({ port: 0, data: 'memory://', clock: { now: () => fixed } });
    try {
      const c = client(server.endpoint);
      const created = await c.send(new CreateTableCommand({
        TableName: 'Timed', BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      }));
      assert.equal(created.TableDescription?.CreationDateTime?.getTime(), fixed);
      c.destroy();
    } finally {
      await server.close();
    }
  });
});

describe('embedded server start failure', () => {
  it('reports a taken port and releases its store', localOnly, async () => {
    const first = await startServer({ port: 0, data: 'memory://' });
    try {
      await assert.rejects(startServer({ port: first.port, data: 'memory://' }), { code: 'EADDRINUSE' });
    } finally {
      await first.close();
    }
  });
});
