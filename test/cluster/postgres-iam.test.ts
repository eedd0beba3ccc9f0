// IAM on two nodes sharing one PostgreSQL (--auth iam): a user, key and policy made through one node
// sign and authorize at the other once its catalog hears of the change, and a key deleted through
// one is refused at both. Skipped, with the reason, without PostgreSQL.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { CreateTableCommand, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { DeleteAccessKeyCommand } from '@aws-sdk/client-iam';
import { freshSchemaUrl, postgresForSuite } from '../helpers/postgres-cluster.js';
import { startNodes, type ServerProcess } from '../helpers/server-process.js';
import { destroyClients, dynamo, iam, newUser, root } from '../helpers/auth.js';
import { until } from '../helpers/until.js';

const postgres = await postgresForSuite();

describe('IAM on two nodes of one PostgreSQL', { skip: postgres.skip }, () => {
  const nodes: ServerProcess[] = [];
  after(async () => {
    destroyClients();
    await Promise.all(nodes.map((n) => n.dispose()));
  });

  it('shares users, keys and policies between the nodes', { timeout: 180_000 }, async () => {
    nodes.push(...(await startNodes(2, {
      data: freshSchemaUrl(postgres.url), args: ['--auth', 'iam'],
      env: { STRATUSDB_ROOT_ACCESS_KEY_ID: root.accessKeyId, STRATUSDB_ROOT_SECRET_ACCESS_KEY: root.secretAccessKey },
    })));
    const [first, second] = nodes as [ServerProcess, ServerProcess];
    await dynamo(first).send(new CreateTableCommand({ TableName: 'Shared', BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }] }));
    const user = await newUser(first, 'carol', { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'dynamodb:ListTables', Resource: '*' }] });
    const answer = async (node: ServerProcess): Promise<string> => dynamo(node, user).send(new ListTablesCommand({})).then((r) => (r.TableNames ?? []).join(','), (e: Error) => e.name);
    assert.equal(await answer(first), 'Shared');
    await until(async () => (await answer(second)) === 'Shared', 'the second node to know carol\'s key and policy');
    await iam(second).send(new DeleteAccessKeyCommand({ UserName: 'carol', AccessKeyId: user.accessKeyId }));
    assert.equal(await answer(second), 'UnrecognizedClientException');
    await until(async () => (await answer(first)) === 'UnrecognizedClientException', 'the first node to forget carol\'s key');
  });
});
