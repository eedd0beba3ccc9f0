// Scenario 9 of SCENARIOS.md, fine-grained access control, through the AWS SDK against a server with
// --auth iam: a user whose policy allows dynamodb:GetItem, Query and PutItem on UserProfiles when
// dynamodb:LeadingKeys is ${aws:userid} reads and writes its own partition only; another key, another
// table or another action is AccessDeniedException with AWS's text; a bad signature is refused. Also
// AWS's attribute-restricted example (dynamodb:Attributes with dynamodb:Select), an explicit deny
// that wins over an allow, a group's policy, and a role session's ${aws:userid}.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  BatchGetItemCommand, CreateTableCommand, DeleteItemCommand, ExecuteStatementCommand, GetItemCommand, ListTablesCommand, PutItemCommand, QueryCommand, ScanCommand, UpdateItemCommand, type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { AddUserToGroupCommand, CreateGroupCommand, CreateRoleCommand, PutGroupPolicyCommand, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { localOnly, type ServerProcess } from '../helpers/server-process.js';
import { destroyClients, dynamo, iam, newUser, startAuthServer, sts, type TestUser } from '../helpers/auth.js';
import { rejects } from '../helpers/rejects.js';

const account = '000000000000';
const profiles = `arn:aws:dynamodb:us-east-1:${account}:table/UserProfiles`;
const ownPartition = {
  Version: '2012-10-17',
  Statement: [{
    Effect: 'Allow', Action: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem'], Resource: 'arn:aws:dynamodb:*:*:table/UserProfiles',
    Condition: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['${aws:userid}'] } },
  }],
};

const denied = (user: string, action: string, resource: string, why = `because no identity-based policy allows the ${action} action`): string =>
  `User: arn:aws:iam::${account}:user/${user} is not authorized to perform: ${action} on resource: ${resource} ${why}`;

describe('scenario 9: fine-grained access control (--auth iam)', localOnly, () => {
  let server: ServerProcess;
  let alice: TestUser;
  let bob: TestUser;
  let db: DynamoDBClient;
  before(async () => {
    server = await startAuthServer('iam');
    const admin = dynamo(server);
    for (const TableName of ['UserProfiles', 'Billing']) {
      await admin.send(new CreateTableCommand({ TableName, BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: [{ AttributeName: 'userId', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'userId', KeyType: 'HASH' }] }));
    }
    alice = await newUser(server, 'alice', ownPartition);
    bob = await newUser(server, 'bob', ownPartition);
    db = dynamo(server, alice);
  });
  after(async () => {
    destroyClients();
    await server.dispose();
  });

  it('reads and writes its own partition', async () => {
    await db.send(new PutItemCommand({ TableName: 'UserProfiles', Item: { userId: { S: alice.userId }, name: { S: 'Alice' } } }));
    assert.deepEqual((await db.send(new GetItemCommand({ TableName: 'UserProfiles', Key: { userId: { S: alice.userId } }, ConsistentRead: true }))).Item, { userId: { S: alice.userId }, name: { S: 'Alice' } });
    const query = await db.send(new QueryCommand({ TableName: 'UserProfiles', KeyConditionExpression: 'userId = :me', ExpressionAttributeValues: { ':me': { S: alice.userId } } }));
    assert.equal(query.Count, 1);
  });

  it('refuses another key, another table and another action, and changes nothing', async () => {
    await rejects(db.send(new PutItemCommand({ TableName: 'UserProfiles', Item: { userId: { S: bob.userId }, name: { S: 'forged' } } })), 'AccessDeniedException', denied('alice', 'dynamodb:PutItem', profiles));
    await rejects(db.send(new GetItemCommand({ TableName: 'UserProfiles', Key: { userId: { S: bob.userId } } })), 'AccessDeniedException', denied('alice', 'dynamodb:GetItem', profiles));
    await rejects(db.send(new QueryCommand({ TableName: 'UserProfiles', KeyConditionExpression: 'userId = :u', ExpressionAttributeValues: { ':u': { S: bob.userId } } })), 'AccessDeniedException', denied('alice', 'dynamodb:Query', profiles));
    await rejects(db.send(new GetItemCommand({ TableName: 'Billing', Key: { userId: { S: alice.userId } } })), 'AccessDeniedException', denied('alice', 'dynamodb:GetItem', `arn:aws:dynamodb:us-east-1:${account}:table/Billing`));
    await rejects(db.send(new DeleteItemCommand({ TableName: 'UserProfiles', Key: { userId: { S: alice.userId } } })), 'AccessDeniedException', denied('alice', 'dynamodb:DeleteItem', profiles));
    await rejects(db.send(new ScanCommand({ TableName: 'UserProfiles' })), 'AccessDeniedException', denied('alice', 'dynamodb:Scan', profiles));
    await rejects(db.send(new ListTablesCommand({})), 'AccessDeniedException', denied('alice', 'dynamodb:ListTables', '*'));
    // Bob cannot read Alice's profile, and Alice's refused put left Bob's partition empty.
    await rejects(dynamo(server, bob).send(new GetItemCommand({ TableName: 'UserProfiles', Key: { userId: { S: alice.userId } } })), 'AccessDeniedException', denied('bob', 'dynamodb:GetItem', profiles));
    assert.equal((await dynamo(server).send(new GetItemCommand({ TableName: 'UserProfiles', Key: { userId: { S: bob.userId } }, ConsistentRead: true }))).Item, undefined);
  });

  it('refuses a bad signature', async () => {
    await assert.rejects(dynamo(server, { ...alice, secretAccessKey: 'not-alice-s-secret' }).send(new GetItemCommand({ TableName: 'UserProfiles', Key: { userId: { S: alice.userId } } })),
      (error: Error) => error.name === 'InvalidSignatureException' && error.message.startsWith('The request signature we calculated does not match the signature you provided.'));
  });

  it('limits a user to some attributes (AWS\'s example: dynamodb:Attributes with dynamodb:Select)', async () => {
    const policy = {
      Version: '2012-10-17',
      Statement: [{
        Effect: 'Allow', Action: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:UpdateItem'], Resource: [profiles],
        Condition: { 'ForAllValues:StringEquals': { 'dynamodb:Attributes': ['userId', 'name'] }, StringEqualsIfExists: { 'dynamodb:Select': 'SPECIFIC_ATTRIBUTES' } },
      }],
    };
    const carol = dynamo(server, await newUser(server, 'carol', policy));
    const item = await carol.send(new GetItemCommand({ TableName: 'UserProfiles', Key: { userId: { S: alice.userId } }, ProjectionExpression: 'userId, #n', ExpressionAttributeNames: { '#n': 'name' } }));
    assert.deepEqual(item.Item, { userId: { S: alice.userId }, name: { S: 'Alice' } });
    await carol.send(new UpdateItemCommand({ TableName: 'UserProfiles', Key: { userId: { S: alice.userId } }, UpdateExpression: 'SET #n = :n', ExpressionAttributeNames: { '#n': 'name' }, ExpressionAttributeValues: { ':n': { S: 'Alice B.' } } }));
    // All attributes (no projection), another attribute, or Select ALL_ATTRIBUTES: refused.
    await rejects(carol.send(new GetItemCommand({ TableName: 'UserProfiles', Key: { userId: { S: alice.userId } } })), 'AccessDeniedException', denied('carol', 'dynamodb:GetItem', profiles));
    await rejects(carol.send(new GetItemCommand({ TableName: 'UserProfiles', Key: { userId: { S: alice.userId } }, ProjectionExpression: 'salary' })), 'AccessDeniedException', denied('carol', 'dynamodb:GetItem', profiles));
    await rejects(carol.send(new UpdateItemCommand({ TableName: 'UserProfiles', Key: { userId: { S: alice.userId } }, UpdateExpression: 'SET salary = :s', ExpressionAttributeValues: { ':s': { N: '1' } } })),
      'AccessDeniedException', denied('carol', 'dynamodb:UpdateItem', profiles));
    await rejects(carol.send(new QueryCommand({ TableName: 'UserProfiles', KeyConditionExpression: 'userId = :u', ExpressionAttributeValues: { ':u': { S: alice.userId } }, Select: 'ALL_ATTRIBUTES' })),
      'AccessDeniedException', denied('carol', 'dynamodb:Query', profiles));
    assert.equal((await dynamo(server).send(new GetItemCommand({ TableName: 'UserProfiles', Key: { userId: { S: alice.userId } }, ConsistentRead: true }))).Item?.['salary'], undefined);
  });

  it('lets an explicit deny win over an allow, and a group\'s policy count for its users', async () => {
    const admin = iam(server);
    await admin.send(new CreateGroupCommand({ GroupName: 'readers' }));
    await admin.send(new PutGroupPolicyCommand({
      GroupName: 'readers', PolicyName: 'read',
      PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['dynamodb:BatchGetItem', 'dynamodb:Scan'], Resource: '*' }, { Effect: 'Deny', Action: 'dynamodb:Scan', Resource: `arn:aws:dynamodb:*:*:table/Billing` }] }),
    }));
    await admin.send(new AddUserToGroupCommand({ GroupName: 'readers', UserName: 'bob' }));
    const reader = dynamo(server, bob);
    assert.equal((await reader.send(new ScanCommand({ TableName: 'UserProfiles' }))).Count, 1);
    await rejects(reader.send(new ScanCommand({ TableName: 'Billing' })), 'AccessDeniedException',
      denied('bob', 'dynamodb:Scan', `arn:aws:dynamodb:us-east-1:${account}:table/Billing`, 'with an explicit deny in an identity-based policy'));
    const batch = await reader.send(new BatchGetItemCommand({ RequestItems: { UserProfiles: { Keys: [{ userId: { S: alice.userId } }] } } }));
    assert.equal(batch.Responses?.['UserProfiles']?.length, 1);
  });

  it('tells PartiQL\'s full-table scans apart (dynamodb:FullTableScan)', async () => {
    const noScans = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 'dynamodb:PartiQLSelect', Resource: profiles, Condition: { Bool: { 'dynamodb:FullTableScan': 'false' } } }],
    };
    const dave = dynamo(server, await newUser(server, 'dave', noScans));
    const one = await dave.send(new ExecuteStatementCommand({ Statement: 'SELECT * FROM "UserProfiles" WHERE userId = ?', Parameters: [{ S: alice.userId }] }));
    assert.equal(one.Items?.length, 1);
    await rejects(dave.send(new ExecuteStatementCommand({ Statement: 'SELECT * FROM "UserProfiles"' })), 'AccessDeniedException', denied('dave', 'dynamodb:PartiQLSelect', profiles));
  });

  it('gives a role session ${aws:userid} of role id and session name', async () => {
    const admin = iam(server);
    const role = await admin.send(new CreateRoleCommand({
      RoleName: 'app', AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: 'sts:AssumeRole' }] }),
    }));
    await admin.send(new PutRolePolicyCommand({ RoleName: 'app', PolicyName: 'own', PolicyDocument: JSON.stringify(ownPartition) }));
    const credentials = (await sts(server).send(new AssumeRoleCommand({ RoleArn: role.Role?.Arn, RoleSessionName: 'web-42' }))).Credentials;
    const session = dynamo(server, { accessKeyId: credentials?.AccessKeyId as string, secretAccessKey: credentials?.SecretAccessKey as string, sessionToken: credentials?.SessionToken as string });
    const own = `${role.Role?.RoleId}:web-42`;
    await session.send(new PutItemCommand({ TableName: 'UserProfiles', Item: { userId: { S: own } } }));
    await rejects(session.send(new PutItemCommand({ TableName: 'UserProfiles', Item: { userId: { S: 'someone-else' } } })), 'AccessDeniedException',
      `User: arn:aws:sts::${account}:assumed-role/app/web-42 is not authorized to perform: dynamodb:PutItem on resource: ${profiles} because no identity-based policy allows the dynamodb:PutItem action`);
  });
});
