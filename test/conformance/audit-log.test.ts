// The audit log (--audit-log PATH) with --auth iam: one JSON line per request that reached
// authentication — the caller, its key, the operation, the (action, resource) pairs and the decision:
// allow, deny (its policies refused it) or unauthenticated (its signature was refused).
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { CreateTableCommand, GetItemCommand, ListTablesCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { localOnly } from '../helpers/server-process.js';
import { destroyClients, dynamo, newUser, root, startAuthServer } from '../helpers/auth.js';
import { rejects } from '../helpers/rejects.js';

describe('the audit log (--audit-log)', localOnly, () => {
  const dir = mkdtempSync(join(tmpdir(), 'stratusdb-audit-'));
  after(() => {
    destroyClients();
    rmSync(dir, { recursive: true, force: true });
  });

  it('records each request\'s principal, actions and decision', async () => {
    const path = join(dir, 'audit.jsonl');
    const server = await startAuthServer('iam', ['--audit-log', path]);
    const table = 'arn:aws:dynamodb:us-east-1:000000000000:table/Logged';
    try {
      await dynamo(server).send(new CreateTableCommand({ TableName: 'Logged', BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }] }));
      const user = await newUser(server, 'auditor', { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: table }] });
      const db = dynamo(server, user);
      await db.send(new GetItemCommand({ TableName: 'Logged', Key: { id: { S: 'a' } } }));
      await rejects(db.send(new PutItemCommand({ TableName: 'Logged', Item: { id: { S: 'a' } } })), 'AccessDeniedException',
        `User: arn:aws:iam::000000000000:user/auditor is not authorized to perform: dynamodb:PutItem on resource: ${table} because no identity-based policy allows the dynamodb:PutItem action`);
      await assert.rejects(dynamo(server, { ...user, secretAccessKey: 'wrong' }).send(new ListTablesCommand({})), (error: Error) => error.name === 'InvalidSignatureException');
    } finally {
      await server.dispose();
    }
    const lines = readFileSync(path, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    for (const line of lines) {
      assert.match(line['time'] as string, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      assert.equal(typeof line['requestId'], 'string');
    }
    const shown = lines.map(({ time: _time, requestId: _id, sourceIp: _ip, ...rest }) => rest);
    // The root made the table and the user (CreateTable, then IAM's CreateUser, PutUserPolicy, CreateAccessKey).
    assert.deepEqual(shown.map((l) => `${l['operation']} ${l['decision']}`), [
      'CreateTable allow', 'CreateUser allow', 'PutUserPolicy allow', 'CreateAccessKey allow', 'GetItem allow', 'PutItem deny', 'ListTables unauthenticated',
    ]);
    assert.deepEqual(shown[0], { principal: 'arn:aws:iam::000000000000:root', accessKeyId: root.accessKeyId, region: 'us-east-1', operation: 'CreateTable', decision: 'allow', actions: [{ action: 'dynamodb:CreateTable', resource: table }] });
    const key = shown[4]?.['accessKeyId'];
    assert.deepEqual(shown[4], { principal: 'arn:aws:iam::000000000000:user/auditor', accessKeyId: key, region: 'us-east-1', operation: 'GetItem', decision: 'allow', actions: [{ action: 'dynamodb:GetItem', resource: table }] });
    assert.deepEqual(shown[5], {
      principal: 'arn:aws:iam::000000000000:user/auditor', accessKeyId: key, region: 'us-east-1', operation: 'PutItem', decision: 'deny', actions: [{ action: 'dynamodb:PutItem', resource: table }], error: 'AccessDeniedException',
    });
    assert.deepEqual(shown[6], { operation: 'ListTables', decision: 'unauthenticated', error: 'InvalidSignatureException' });
    assert.equal(lines[6]?.['sourceIp'], '127.0.0.1');
  });
});
