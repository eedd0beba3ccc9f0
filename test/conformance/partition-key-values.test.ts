// The condition keys of each partition key attribute, dynamodb:FirstPartitionKeyValues to
// dynamodb:FourthPartitionKeyValues (AWS's Service Authorization Reference lists them for tables with
// multi-attribute GSI keys), through the SDK against a server with --auth iam: a Query of an index
// whose partition key is (tenant, region) fills the first with the tenant and the second with the
// region; a table's item operations fill the first with the partition key, as dynamodb:LeadingKeys.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CreateTableCommand, GetItemCommand, PutItemCommand, QueryCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { localOnly, type ServerProcess } from '../helpers/server-process.js';
import { destroyClients, dynamo, newUser, startAuthServer } from '../helpers/auth.js';
import { rejects } from '../helpers/rejects.js';

const account = '000000000000';
const table = `arn:aws:dynamodb:us-east-1:${account}:table/Events`;
const index = `${table}/index/byTenant`;
const denied = (user: string, action: string, resource: string): string =>
  `User: arn:aws:iam::${account}:user/${user} is not authorized to perform: ${action} on resource: ${resource} because no identity-based policy allows the ${action} action`;

describe('dynamodb:FirstPartitionKeyValues … FourthPartitionKeyValues (--auth iam)', localOnly, () => {
  let server: ServerProcess;
  let acmeEast: DynamoDBClient;
  let own: DynamoDBClient;
  const byTenant = (client: DynamoDBClient, tenant: string, region: string, names = 'tenant = :t AND #r = :r') => client.send(new QueryCommand({
    TableName: 'Events', IndexName: 'byTenant', KeyConditionExpression: names,
    ExpressionAttributeNames: { '#r': 'region' }, ExpressionAttributeValues: { ':t': { S: tenant }, ':r': { N: region } },
  }));

  before(async () => {
    server = await startAuthServer('iam');
    const admin = dynamo(server);
    await admin.send(new CreateTableCommand({
      TableName: 'Events', BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }, { AttributeName: 'tenant', AttributeType: 'S' }, { AttributeName: 'region', AttributeType: 'N' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      GlobalSecondaryIndexes: [{
        IndexName: 'byTenant', Projection: { ProjectionType: 'ALL' },
        KeySchema: [{ AttributeName: 'tenant', KeyType: 'HASH' }, { AttributeName: 'region', KeyType: 'HASH' }],
      }],
    }));
    for (const [id, tenant, region] of [['e1', 'acme', '1'], ['e2', 'acme', '2'], ['e3', 'globex', '1']] as const) {
      await admin.send(new PutItemCommand({ TableName: 'Events', Item: { id: { S: id }, tenant: { S: tenant }, region: { N: region } } }));
    }
    // One tenant's one region, by the index's first and second partition key attributes.
    acmeEast = dynamo(server, await newUser(server, 'acme-east', {
      Version: '2012-10-17',
      Statement: [{
        Effect: 'Allow', Action: 'dynamodb:Query', Resource: index,
        Condition: { 'ForAllValues:StringEquals': { 'dynamodb:FirstPartitionKeyValues': ['acme'], 'dynamodb:SecondPartitionKeyValues': ['1'] }, Null: { 'dynamodb:ThirdPartitionKeyValues': 'true' } },
      }],
    }));
    // A table's own items by its (single-attribute) partition key, with the first key.
    own = dynamo(server, await newUser(server, 'owner', {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: ['dynamodb:GetItem', 'dynamodb:PutItem'], Resource: table, Condition: { 'ForAllValues:StringEquals': { 'dynamodb:FirstPartitionKeyValues': ['e1'] }, Null: { 'dynamodb:SecondPartitionKeyValues': 'true' } } }],
    }));
  });
  after(async () => {
    destroyClients();
    await server.dispose();
  });

  it('fills one key per attribute of a multi-attribute index partition key in a Query', async () => {
    const mine = await byTenant(acmeEast, 'acme', '1');
    assert.deepEqual(mine.Items?.map((i) => i['id']?.S), ['e1']);
    // Another region of the tenant (the second attribute), another tenant (the first): refused.
    await rejects(byTenant(acmeEast, 'acme', '2'), 'AccessDeniedException', denied('acme-east', 'dynamodb:Query', index));
    await rejects(byTenant(acmeEast, 'globex', '1'), 'AccessDeniedException', denied('acme-east', 'dynamodb:Query', index));
  });

  it('fills the first key with a table\'s partition key values, and no second', async () => {
    assert.deepEqual((await own.send(new GetItemCommand({ TableName: 'Events', Key: { id: { S: 'e1' } }, ConsistentRead: true }))).Item?.['tenant'], { S: 'acme' });
    await own.send(new PutItemCommand({ TableName: 'Events', Item: { id: { S: 'e1' }, tenant: { S: 'acme' }, region: { N: '3' } } }));
    await rejects(own.send(new GetItemCommand({ TableName: 'Events', Key: { id: { S: 'e2' } } })), 'AccessDeniedException', denied('owner', 'dynamodb:GetItem', table));
    await rejects(own.send(new PutItemCommand({ TableName: 'Events', Item: { id: { S: 'e3' }, tenant: { S: 'forged' }, region: { N: '1' } } })), 'AccessDeniedException', denied('owner', 'dynamodb:PutItem', table));
    // The refused put changed nothing.
    assert.deepEqual((await dynamo(server).send(new GetItemCommand({ TableName: 'Events', Key: { id: { S: 'e3' } }, ConsistentRead: true }))).Item?.['tenant'], { S: 'globex' });
  });
});
