// Resource-based policies of tables and streams (--auth iam): PutResourcePolicy, GetResourcePolicy
// and DeleteResourcePolicy with revision ids (the same document keeps its revision, ExpectedRevisionId
// and NO_POLICY make a change conditional), a stream's slot apart from its table's, DynamoDB's
// texts; and evaluated with the caller's own policies — a table policy that names a user lets it in
// without any policy of its own, an explicit deny in it wins over the user's allow, and a policy that
// would lock its author out needs ConfirmRemoveSelfResourceAccess.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CreateTableCommand, DeleteResourcePolicyCommand, GetItemCommand, GetResourcePolicyCommand, PutItemCommand, PutResourcePolicyCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { localOnly, type ServerProcess } from '../helpers/server-process.js';
import { destroyClients, dynamo, newUser, startAuthServer, type TestUser } from '../helpers/auth.js';
import { rejects } from '../helpers/rejects.js';

const account = '000000000000';
const statement = (effect: 'Allow' | 'Deny', principal: string, action: string | string[], resource: string): unknown => ({ Effect: effect, Principal: { AWS: principal }, Action: action, Resource: resource });
const policy = (...statements: unknown[]): string => JSON.stringify({ Version: '2012-10-17', Statement: statements });

describe('resource-based policies (--auth iam)', localOnly, () => {
  let server: ServerProcess;
  let admin: DynamoDBClient;
  let tableArn: string;
  let streamArn: string;
  let reader: TestUser;
  before(async () => {
    server = await startAuthServer('iam');
    admin = dynamo(server);
    const made = await admin.send(new CreateTableCommand({
      TableName: 'Shared', BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
    }));
    tableArn = made.TableDescription?.TableArn as string;
    streamArn = made.TableDescription?.LatestStreamArn as string;
    reader = await newUser(server, 'reader');
  });
  after(async () => {
    destroyClients();
    await server.dispose();
  });

  it('puts, reads and deletes a policy with revision ids and DynamoDB\'s texts', async () => {
    await rejects(admin.send(new GetResourcePolicyCommand({ ResourceArn: tableArn })), 'PolicyNotFoundException', `Resource-based policy not found for the provided ResourceArn: ${tableArn}`);
    const document = policy(statement('Allow', `arn:aws:iam::${account}:user/reader`, 'dynamodb:GetItem', tableArn));
    const first = (await admin.send(new PutResourcePolicyCommand({ ResourceArn: tableArn, Policy: document, ExpectedRevisionId: 'NO_POLICY' }))).RevisionId as string;
    assert.match(first, /^\d+$/);
    assert.equal((await admin.send(new PutResourcePolicyCommand({ ResourceArn: tableArn, Policy: document }))).RevisionId, first);
    assert.deepEqual(await admin.send(new GetResourcePolicyCommand({ ResourceArn: tableArn })).then((r) => ({ Policy: r.Policy, RevisionId: r.RevisionId })), { Policy: document, RevisionId: first });
    await rejects(admin.send(new PutResourcePolicyCommand({ ResourceArn: tableArn, Policy: document, ExpectedRevisionId: 'NO_POLICY' })), 'PolicyNotFoundException',
      `Resource-based policy not found for the provided ResourceArn: Requested policy update expecting none to be present for table Shared, but a policy exists with revision id ${first}.`);
    await rejects(admin.send(new DeleteResourcePolicyCommand({ ResourceArn: tableArn, ExpectedRevisionId: '12345' })), 'PolicyNotFoundException',
      `Resource-based policy not found for the provided ResourceArn: Requested update for policy with revision id 12345, but the policy associated to target table Shared has revision id ${first}.`);
    // The stream's slot is its own.
    await rejects(admin.send(new GetResourcePolicyCommand({ ResourceArn: streamArn })), 'PolicyNotFoundException', `Resource-based policy not found for the provided ResourceArn: ${streamArn}`);
    const streamPolicy = policy(statement('Allow', `arn:aws:iam::${account}:user/reader`, 'dynamodb:DescribeStream', streamArn));
    const streamRevision = (await admin.send(new PutResourcePolicyCommand({ ResourceArn: streamArn, Policy: streamPolicy }))).RevisionId;
    assert.equal((await admin.send(new DeleteResourcePolicyCommand({ ResourceArn: streamArn }))).RevisionId, streamRevision);
    assert.equal((await admin.send(new GetResourcePolicyCommand({ ResourceArn: tableArn }))).RevisionId, first);
    await rejects(admin.send(new PutResourcePolicyCommand({ ResourceArn: tableArn, Policy: policy({ ...(statement('Allow', '*', 'dynamodb:GetItem', tableArn) as object), Sid: 'x'.repeat(20_480) }) })),
      'ValidationException', 'Resource-based policy document is 20664 bytes: the most a policy may be is 20480 bytes (whitespace counted).');
    await rejects(admin.send(new GetResourcePolicyCommand({ ResourceArn: `arn:aws:dynamodb:us-east-1:${account}:table/Nothing` })), 'ResourceNotFoundException', 'Requested resource not found: Table: Nothing not found');
  });

  it('lets a user the table\'s policy names in without a policy of its own', async () => {
    const db = dynamo(server, reader);
    assert.equal((await db.send(new GetItemCommand({ TableName: 'Shared', Key: { id: { S: 'a' } } }))).Item, undefined);
    await rejects(db.send(new PutItemCommand({ TableName: 'Shared', Item: { id: { S: 'a' } } })), 'AccessDeniedException',
      `User: arn:aws:iam::${account}:user/reader is not authorized to perform: dynamodb:PutItem on resource: ${tableArn} because no identity-based policy allows the dynamodb:PutItem action`);
  });

  it('lets the table\'s explicit deny win over a user\'s allow', async () => {
    const writer = await newUser(server, 'writer', { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'dynamodb:*', Resource: '*' }] });
    const current = (await admin.send(new GetResourcePolicyCommand({ ResourceArn: tableArn }))).RevisionId;
    await admin.send(new PutResourcePolicyCommand({
      ResourceArn: tableArn, ExpectedRevisionId: current,
      Policy: policy(statement('Allow', `arn:aws:iam::${account}:user/reader`, 'dynamodb:GetItem', tableArn), statement('Deny', `arn:aws:iam::${account}:user/writer`, 'dynamodb:PutItem', tableArn)),
    }));
    await rejects(dynamo(server, writer).send(new PutItemCommand({ TableName: 'Shared', Item: { id: { S: 'w' } } })), 'AccessDeniedException',
      `User: arn:aws:iam::${account}:user/writer is not authorized to perform: dynamodb:PutItem on resource: ${tableArn} with an explicit deny in a resource-based policy`);
    assert.equal((await dynamo(server, writer).send(new GetItemCommand({ TableName: 'Shared', Key: { id: { S: 'w' } } }))).Item, undefined);
  });

  it('needs ConfirmRemoveSelfResourceAccess to put a policy that denies its author further changes', async () => {
    const lockout = policy(statement('Deny', `arn:aws:iam::${account}:root`, 'dynamodb:PutResourcePolicy', tableArn));
    await rejects(admin.send(new PutResourcePolicyCommand({ ResourceArn: tableArn, Policy: lockout })), 'ValidationException',
      'The policy would deny you dynamodb:PutResourcePolicy on this resource: set ConfirmRemoveSelfResourceAccess to true to put it anyway.');
    await admin.send(new PutResourcePolicyCommand({ ResourceArn: tableArn, Policy: lockout, ConfirmRemoveSelfResourceAccess: true }));
    await rejects(admin.send(new PutResourcePolicyCommand({ ResourceArn: tableArn, Policy: policy(statement('Allow', '*', 'dynamodb:GetItem', tableArn)) })), 'AccessDeniedException',
      `User: arn:aws:iam::${account}:root is not authorized to perform: dynamodb:PutResourcePolicy on resource: ${tableArn} with an explicit deny in a resource-based policy`);
    // The root may still remove the policy (it denies only PutResourcePolicy).
    await admin.send(new DeleteResourcePolicyCommand({ ResourceArn: tableArn }));
  });
});
