// IAM users declared in the project file (the `iam` section): made when the server starts, with the
// access key and inline policies the file gives, brought up to date at the next start, and a mistake
// in the section stops the start naming the field.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { CreateTableCommand, GetItemCommand, ListTablesCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { localOnly, newDataDir } from '../helpers/server-process.js';
import { destroyClients, dynamo, root, startAuthServer } from '../helpers/auth.js';
import { rejects } from '../helpers/rejects.js';

const alice = { accessKeyId: 'AKIAALICELOCAL000001', secretAccessKey: 'alice-local-secret' };
const projectFile = (actions: string[]): string => `
iam:
  users:
    - name: alice
      accessKeyId: ${alice.accessKeyId}
      secretAccessKey: ${alice.secretAccessKey}
      policies:
        notes:
          Version: '2012-10-17'
          Statement:
            - Effect: Allow
              Action: [${actions.map((a) => `'${a}'`).join(', ')}]
              Resource: 'arn:aws:dynamodb:*:*:table/Notes'
`;

describe('IAM users declared in the project file', localOnly, () => {
  const dir = mkdtempSync(join(tmpdir(), 'stratusdb-project-'));
  after(() => {
    destroyClients();
    rmSync(dir, { recursive: true, force: true });
  });

  it('makes the declared user, key and policy at start, and brings them up to date at the next', async () => {
    const config = join(dir, 'stratusdb.config.yaml');
    writeFileSync(config, projectFile(['dynamodb:GetItem']));
    const dataDir = newDataDir();
    let server = await startAuthServer('iam', ['--config', config], { dataDir });
    try {
      assert.match(server.output(), /1 IAM user\(s\) from .*stratusdb\.config\.yaml: alice/);
      await dynamo(server).send(new CreateTableCommand({ TableName: 'Notes', BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }] }));
      const db = dynamo(server, alice);
      assert.equal((await db.send(new GetItemCommand({ TableName: 'Notes', Key: { id: { S: 'n' } } }))).Item, undefined);
      await rejects(db.send(new PutItemCommand({ TableName: 'Notes', Item: { id: { S: 'n' } } })), 'AccessDeniedException',
        'User: arn:aws:iam::000000000000:user/alice is not authorized to perform: dynamodb:PutItem on resource: arn:aws:dynamodb:us-east-1:000000000000:table/Notes because no identity-based policy allows the dynamodb:PutItem action');
      await server.stop();
      writeFileSync(config, projectFile(['dynamodb:GetItem', 'dynamodb:PutItem']));
      server = await startAuthServer('iam', ['--config', config], { dataDir });
      await dynamo(server, alice).send(new PutItemCommand({ TableName: 'Notes', Item: { id: { S: 'n' } } }));
      await rejects(dynamo(server, alice).send(new ListTablesCommand({})), 'AccessDeniedException',
        'User: arn:aws:iam::000000000000:user/alice is not authorized to perform: dynamodb:ListTables on resource: * because no identity-based policy allows the dynamodb:ListTables action');
      assert.deepEqual((await dynamo(server, root).send(new ListTablesCommand({}))).TableNames, ['Notes']);
    } finally {
      await server.dispose();
    }
  });

  it('stops the start on a mistake, naming the field', async () => {
    const config = join(dir, 'bad.config.yaml');
    writeFileSync(config, 'iam:\n  users:\n    - name: bob\n      policies:\n        p: { Version: "2012-10-17", Statement: [{ Effect: Allow, Resource: "*" }] }\n');
    await assert.rejects(startAuthServer('iam', ['--config', config]), (error: Error) => error.message.includes(`${config}: iam.users[0].policies.p: Policy statement must contain actions.`));
  });
});
