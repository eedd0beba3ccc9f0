// Every malformed request gets DynamoDB's exact exception and message with HTTP 400, and changes
// nothing: the corpus runs against a real server, then the tables are checked untouched.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CreateTableCommand, DescribeTableCommand, GetItemCommand, ListTablesCommand, ListTagsOfResourceCommand, PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { callRaw } from '../helpers/raw-request.js';
import { onDemandTable } from '../helpers/tables.js';
import { badCases as itemCases, baseTable } from './bad-input-cases.js';
import { readBadCases } from './read-bad-input-cases.js';
import { arnBadCases } from './arn-bad-input-cases.js';
import { controlBadCases } from './control-bad-input-cases.js';

const badCases = [...itemCases, ...readBadCases, ...arnBadCases, ...controlBadCases];

describe('bad input corpus', () => {
  let server: ServerProcess;
  let db: DynamoDBClient;
  before(async () => {
    server = await startServerProcess();
    db = server.client();
    await db.send(new CreateTableCommand(onDemandTable(baseTable, ['pk', 'S'], ['sk', 'N'])));
    await db.send(new CreateTableCommand(onDemandTable('BaseRange', ['h', 'S'], ['r', 'S'])));
    await db.send(new CreateTableCommand(onDemandTable('BaseBinary', ['id', 'B'])));
    await db.send(new PutItemCommand({ TableName: baseTable, Item: { pk: { S: 'a' }, sk: { N: '1' }, v: { S: 'original' } } }));
  });
  after(async () => server.dispose());

  it('has at least 150 cases for items and tables, and 150 for reads', () => {
    assert.ok(itemCases.length >= 150, `only ${itemCases.length} item and table cases`);
    assert.ok(readBadCases.length >= 150, `only ${readBadCases.length} Query/Scan/batch cases`);
  });

  for (const [index, c] of badCases.entries()) {
    it(`#${index} ${c.op}: ${c.message?.slice(0, 90) ?? c.type}`, async () => {
      const res = await callRaw(server.endpoint, c.op, JSON.stringify(c.body));
      assert.equal(res.status, 400);
      // The whole body: AWS spells the key `Message` for SerializationException and AccessDeniedException.
      const key = c.type.endsWith('#SerializationException') || c.type.endsWith('#AccessDeniedException') ? 'Message' : 'message';
      assert.deepEqual(res.json(), c.message === undefined ? { __type: c.type } : { __type: c.type, [key]: c.message });
      assert.match(String(res.headers['x-amzn-requestid']), /^[0-9A-F]{52}$/);
    });
  }

  it('changed nothing', async () => {
    assert.deepEqual((await db.send(new ListTablesCommand({}))).TableNames, [baseTable, 'BaseBinary', 'BaseRange']);
    const base = await db.send(new DescribeTableCommand({ TableName: baseTable }));
    assert.equal(base.Table?.ItemCount, 1);
    assert.equal(base.Table?.StreamSpecification, undefined);
    assert.equal(base.Table?.BillingModeSummary?.BillingMode, 'PAY_PER_REQUEST');
    assert.equal(base.Table?.DeletionProtectionEnabled, false);
    assert.deepEqual((await db.send(new ListTagsOfResourceCommand({ ResourceArn: base.Table?.TableArn }))).Tags, []);
    const item = await db.send(new GetItemCommand({ TableName: baseTable, Key: { pk: { S: 'a' }, sk: { N: '1' } } }));
    assert.deepEqual(item.Item, { pk: { S: 'a' }, sk: { N: '1' }, v: { S: 'original' } });
    assert.equal((await db.send(new DescribeTableCommand({ TableName: 'BaseRange' }))).Table?.ItemCount, 0);
  });
});
