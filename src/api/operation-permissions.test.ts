// What each operation declares IAM would check: (action, resource ARN) pairs from the decoded input,
// as the IAM reference for DynamoDB names them (transactions: each action's own permission; PartiQL:
// the PartiQL actions on the table or index the statement names).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { engineOptionsOf, withDefaults } from '../config/option-table.js';
import { Engine } from '../engine/engine.js';
import { decodeImportedItem } from './validate/imported-item.js';
import { MemoryStorage } from '../storage/memory/memory-storage.js';
import { servicesOf, type OperationDefinition, type RequestContext } from './operation.js';
import { resolveOperation } from './registry.js';

const ctx: RequestContext = { requestId: 'r', region: 'eu-west-1', accountId: '123456789012', now: 0, host: 'localhost' };
const services = servicesOf(new Engine(new MemoryStorage(), { clock: { now: () => 0 }, ...engineOptionsOf(withDefaults({})), backupDir: '/nonexistent/stratusdb-backups', s3Dir: '/nonexistent/stratusdb-s3', decodeImportedItem }));
const arn = (table: string): string => `arn:aws:dynamodb:eu-west-1:123456789012:table/${table}`;

function permissions(target: string, body: unknown): string[] {
  const operation = resolveOperation(target) as OperationDefinition;
  return operation.permissions(operation.decode(body), ctx, services).map((p) => `${p.action} ${p.resource}`);
}

describe('operation permissions', () => {
  const cases: readonly [string, string, unknown, string[]][] = [
    ['GetItem', 'DynamoDB_20120810.GetItem', { TableName: 'Orders', Key: { id: { S: '1' } } }, [`dynamodb:GetItem ${arn('Orders')}`]],
    ['Query on an index', 'DynamoDB_20120810.Query', { TableName: 'Orders', IndexName: 'byCustomer' }, [`dynamodb:Query ${arn('Orders')}/index/byCustomer`]],
    ['BatchGetItem: every table', 'DynamoDB_20120810.BatchGetItem', { RequestItems: { Orders: { Keys: [{ id: { S: '1' } }] }, Users: { Keys: [{ id: { S: '2' } }] } } },
      [`dynamodb:BatchGetItem ${arn('Orders')}`, `dynamodb:BatchGetItem ${arn('Users')}`]],
    ['BatchWriteItem: every table', 'DynamoDB_20120810.BatchWriteItem', { RequestItems: { Orders: [{ PutRequest: { Item: { id: { S: '1' } } } }, { DeleteRequest: { Key: { id: { S: '2' } } } }] } },
      [`dynamodb:BatchWriteItem ${arn('Orders')}`]],
    ['TransactWriteItems: each action its own', 'DynamoDB_20120810.TransactWriteItems', {
      TransactItems: [
        { Put: { TableName: 'Orders', Item: { id: { S: '1' } } } },
        { ConditionCheck: { TableName: 'Users', Key: { id: { S: '2' } }, ConditionExpression: 'attribute_exists(id)' } },
        { Update: { TableName: 'Users', Key: { id: { S: '3' } }, UpdateExpression: 'SET n = :n', ExpressionAttributeValues: { ':n': { N: '1' } } } },
        { Delete: { TableName: 'Orders', Key: { id: { S: '4' } } } },
      ],
    }, [`dynamodb:PutItem ${arn('Orders')}`, `dynamodb:ConditionCheckItem ${arn('Users')}`, `dynamodb:UpdateItem ${arn('Users')}`, `dynamodb:DeleteItem ${arn('Orders')}`]],
    ['TransactGetItems', 'DynamoDB_20120810.TransactGetItems', { TransactItems: [{ Get: { TableName: 'Orders', Key: { id: { S: '1' } } } }] }, [`dynamodb:GetItem ${arn('Orders')}`]],
    ['ExecuteStatement: SELECT from an index', 'DynamoDB_20120810.ExecuteStatement', { Statement: 'SELECT * FROM "Orders"."byCustomer" WHERE customer = ?', Parameters: [{ S: 'c' }] },
      [`dynamodb:PartiQLSelect ${arn('Orders')}/index/byCustomer`]],
    ['BatchExecuteStatement: INSERT and DELETE', 'DynamoDB_20120810.BatchExecuteStatement', {
      Statements: [{ Statement: `INSERT INTO "Orders" VALUE {'id': 'x'}` }, { Statement: `DELETE FROM "Users" WHERE id = 'y'` }],
    }, [`dynamodb:PartiQLInsert ${arn('Orders')}`, `dynamodb:PartiQLDelete ${arn('Users')}`]],
    ['ExecuteTransaction: UPDATE and EXISTS', 'DynamoDB_20120810.ExecuteTransaction', {
      TransactStatements: [{ Statement: `UPDATE "Orders" SET n = 1 WHERE id = 'x'` }, { Statement: `EXISTS(SELECT * FROM "Users" WHERE id = 'y')` }],
    }, [`dynamodb:PartiQLUpdate ${arn('Orders')}`, `dynamodb:PartiQLSelect ${arn('Users')}`]],
    ['a statement that does not parse needs nothing (it is refused anyway)', 'DynamoDB_20120810.ExecuteStatement', { Statement: 'SELEKT' }, []],
    ['ListTables', 'DynamoDB_20120810.ListTables', {}, ['dynamodb:ListTables *']],
    ['DescribeStream', 'DynamoDBStreams_20120810.DescribeStream', { StreamArn: `${arn('Orders')}/stream/2030-01-01T00:00:00.000` },
      [`dynamodb:DescribeStream ${arn('Orders')}/stream/2030-01-01T00:00:00.000`]],
  ];
  for (const [name, target, body, expected] of cases) it(name, () => assert.deepEqual(permissions(target, body), expected));

  it('every operation of the registry declares a kind and at least one permission for a minimal request', () => {
    const minimal: Readonly<Record<string, unknown>> = {};
    for (const target of ['DynamoDB_20120810.ListTables', 'DynamoDB_20120810.DescribeLimits', 'DynamoDB_20120810.DescribeEndpoints', 'DynamoDBStreams_20120810.ListStreams']) {
      const operation = resolveOperation(target) as OperationDefinition;
      assert.ok(['read', 'write', 'control', 'stream'].includes(operation.kind));
      assert.equal(operation.permissions(operation.decode(minimal), ctx, services).length, 1, target);
    }
  });
});
