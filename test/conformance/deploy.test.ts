// `stratusdb deploy` against a real server process, with the apps of test/fixtures/deploy: the seed's
// UserEvents table as CloudFormation (made in scenario-5.test.ts) changed in place by DynamoDB's
// steps and refused what cannot change; a SAM app whose stream function
// keeps a second table in sync (redeployed with new code, still running after a restart); a
// serverless.yml with a stage; the CDK's output; --prune and deleted functions; and the refusals,
// which name the file, the resource and the property and change nothing.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  DescribeContinuousBackupsCommand, DescribeTableCommand, DescribeTimeToLiveCommand, DynamoDBClient, GetItemCommand, ListTablesCommand, ListTagsOfResourceCommand,
  PutItemCommand, QueryCommand, ScanCommand,
} from '@aws-sdk/client-dynamodb';
import { localOnly, startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { copyApp, deploy } from '../helpers/deploy-project.js';
import { noBoto3, pythonWithBoto3 } from '../helpers/trigger-project.js';
import { until } from '../helpers/until.js';

const python = pythonWithBoto3();

describe('stratusdb deploy', localOnly, () => {
  let server: ServerProcess;
  let db: DynamoDBClient;

  before(async () => {
    server = await startServerProcess();
    db = server.client();
  });
  after(async () => server.dispose());

  it('changes a table in place by DynamoDB\'s steps: throughput, a GSI made and one removed, TTL, PITR, tags', async () => {
    const app = copyApp('seed-table');
    const stack = ['template.yaml', '--stack-name', 'seed-changes', '--parameter', 'Environment=changes'];
    assert.equal((await deploy(server.endpoint, app.dir, stack)).code, 0);
    app.edit('template.yaml', 'ReadCapacityUnits: 100\n        WriteCapacityUnits: 50', 'ReadCapacityUnits: 20\n        WriteCapacityUnits: 10');
    app.edit('template.yaml', '        - { AttributeName: eventType, AttributeType: S }\n', '        - { AttributeName: day, AttributeType: S }\n');
    app.edit('template.yaml', `        - IndexName: EventTypeIndex
          KeySchema:
            - { AttributeName: eventType, KeyType: HASH }`, `        - IndexName: ByDay
          KeySchema:
            - { AttributeName: day, KeyType: HASH }`);
    app.edit('template.yaml', 'PointInTimeRecoveryEnabled: true', 'PointInTimeRecoveryEnabled: false\n      TimeToLiveSpecification:\n        AttributeName: expiresAt\n        Enabled: true');
    app.edit('template.yaml', '{ Key: ManagedBy, Value: cloudformation }', '{ Key: Team, Value: events }');
    const plan = await deploy(server.endpoint, app.dir, [...stack, '--plan']);
    assert.equal(plan.code, 0, plan.stderr);
    assert.equal(plan.stdout, [
      'Stack seed-changes (template.yaml) in us-east-1:',
      '  ~ table UserEvents-changes (UserEvents, AWS::DynamoDB::Table)',
      '      1. change throughput 100/50 → 20/10',
      '      2. delete GSI EventTypeIndex',
      '      3. create GSI ByDay (keys day HASH, SK RANGE; waits for its backfill)',
      '      4. turn TTL on (attribute expiresAt)',
      '      5. turn point-in-time recovery off',
      '      6. tag Team=events',
      '      7. untag ManagedBy',
      'Plan: 0 to create, 1 to change, 0 to delete.',
      '',
    ].join('\n'));
    await db.send(new PutItemCommand({ TableName: 'UserEvents-changes', Item: { userId: { S: 'u1' }, SK: { S: 'e1' }, day: { S: '2026-12-07' } } }));
    const applied = await deploy(server.endpoint, app.dir, stack);
    assert.equal(applied.code, 0, applied.stderr);
    const table = (await db.send(new DescribeTableCommand({ TableName: 'UserEvents-changes' }))).Table;
    assert.deepEqual([table?.ProvisionedThroughput?.ReadCapacityUnits, table?.ProvisionedThroughput?.WriteCapacityUnits], [20, 10]);
    assert.deepEqual(table?.GlobalSecondaryIndexes?.map((g) => [g.IndexName, g.IndexStatus, g.ProvisionedThroughput?.ReadCapacityUnits]), [['ByDay', 'ACTIVE', 50]]);
    // The new index was backfilled before deploy went on.
    const byDay = await db.send(new QueryCommand({ TableName: 'UserEvents-changes', IndexName: 'ByDay', KeyConditionExpression: '#d = :d', ExpressionAttributeNames: { '#d': 'day' }, ExpressionAttributeValues: { ':d': { S: '2026-12-07' } } }));
    assert.deepEqual(byDay.Items?.map((i) => i['userId']?.S), ['u1']);
    const ttl = (await db.send(new DescribeTimeToLiveCommand({ TableName: 'UserEvents-changes' }))).TimeToLiveDescription;
    assert.deepEqual([ttl?.TimeToLiveStatus, ttl?.AttributeName], ['ENABLED', 'expiresAt']);
    const pitr = (await db.send(new DescribeContinuousBackupsCommand({ TableName: 'UserEvents-changes' }))).ContinuousBackupsDescription?.PointInTimeRecoveryDescription;
    assert.equal(pitr?.PointInTimeRecoveryStatus, 'DISABLED');
    const tags = (await db.send(new ListTagsOfResourceCommand({ ResourceArn: table?.TableArn }))).Tags;
    assert.deepEqual(Object.fromEntries((tags ?? []).map((t) => [t.Key, t.Value])), { Environment: 'changes', Team: 'events' });
    const again = await deploy(server.endpoint, app.dir, [...stack, '--plan']);
    assert.equal(again.stdout, 'Stack seed-changes (template.yaml) in us-east-1:\nNo changes.\n');
  });

  it('refuses what cannot be done, naming the file, the resource and the property, and changes nothing', async () => {
    const app = copyApp('seed-table');
    const stack = ['template.yaml', '--stack-name', 'seed-refusals', '--parameter', 'Environment=refusals'];
    assert.equal((await deploy(server.endpoint, app.dir, stack)).code, 0);
    const cases: readonly [string, () => void, readonly string[], string][] = [
      ['a key schema change', () => app.edit('template.yaml', '{ AttributeName: SK, KeyType: RANGE }\n      GlobalSecondaryIndexes', '{ AttributeName: eventType, KeyType: RANGE }\n      GlobalSecondaryIndexes'), stack,
        'stratusdb deploy: template.yaml: UserEvents (AWS::DynamoDB::Table): KeySchema: the table UserEvents-refusals exists with keys userId HASH, SK RANGE; a key schema cannot change in place (delete the table, or give the resource a new TableName)\n'],
      ['an unknown property', () => app.edit('template.yaml', 'BillingMode: PROVISIONED', 'BillingMode: PROVISIONED\n      Colour: blue'), stack,
        'stratusdb deploy: template.yaml: UserEvents (AWS::DynamoDB::Table): Colour: not a property of AWS::DynamoDB::Table that stratusdb deploy knows\n'],
      ['a parameter without a value', () => app.edit('template.yaml', '    Default: dev\n', ''), ['template.yaml', '--stack-name', 'seed-refusals'],
        'stratusdb deploy: template.yaml: Parameters: [Environment] must have values (give them with --parameter NAME=VALUE)\n'],
      ['a reference to nothing', () => app.edit('template.yaml', '!Sub UserEvents-${Environment}', '!Sub UserEvents-${Stage}'), stack,
        'stratusdb deploy: template.yaml: TableName.Fn::Sub: Stage is neither a parameter nor a resource of the template\n'],
      ['a parameter the template does not declare', () => undefined, [...stack, '--parameter', 'Colour=blue'],
        'stratusdb deploy: template.yaml: Parameters: [Colour] do not exist in the template\n'],
    ];
    const original = app.read('template.yaml');
    for (const [what, change, args, message] of cases) {
      app.write('template.yaml', original);
      change();
      const run = await deploy(server.endpoint, app.dir, args);
      assert.deepEqual([run.code, run.stderr], [1, message], what);
    }
    const table = (await db.send(new DescribeTableCommand({ TableName: 'UserEvents-refusals' }))).Table;
    assert.deepEqual(table?.KeySchema, [{ AttributeName: 'userId', KeyType: 'HASH' }, { AttributeName: 'SK', KeyType: 'RANGE' }]);
  });

  it('a SAM app: its stream function keeps a second table in sync; new code redeploys it; it runs again after a restart', async () => {
    const app = copyApp('sam-app');
    const stack = ['template.yaml', '--stack-name', 'sam-app'];
    const first = await deploy(server.endpoint, app.dir, stack);
    assert.equal(first.code, 0, first.stderr);
    assert.equal(first.stdout.split('\n').slice(0, 8).join('\n'), [
      'Stack sam-app (template.yaml) in us-east-1:',
      '  + table Orders-dev (OrdersTable, AWS::DynamoDB::Table)',
      '      1. create the table (keys orderId HASH; PAY_PER_REQUEST; stream NEW_AND_OLD_IMAGES)',
      '  + table CustomerTotals-dev (CustomerTotalsTable, AWS::Serverless::SimpleTable)',
      '      1. create the table (keys customerId HASH; PAY_PER_REQUEST)',
      '  + trigger sam-app-SyncTotalsFunction-0AE1B873DB22 on Orders-dev (SyncTotalsFunction, AWS::Serverless::Function)',
      '  ! skipped OrdersApi (AWS::Serverless::Api): not served (deploy makes DynamoDB tables and their stream-triggered functions)',
      'Plan: 3 to create, 0 to change, 0 to delete.',
    ].join('\n'));
    const second = await deploy(server.endpoint, app.dir, stack);
    assert.equal(second.stdout, [
      'Stack sam-app (template.yaml) in us-east-1:',
      '  ! skipped OrdersApi (AWS::Serverless::Api): not served (deploy makes DynamoDB tables and their stream-triggered functions)',
      'No changes.',
      '',
    ].join('\n'));

    const total = async (customer: string): Promise<string | undefined> =>
      (await db.send(new GetItemCommand({ TableName: 'CustomerTotals-dev', Key: { customerId: { S: customer } }, ConsistentRead: true }))).Item?.['total']?.N;
    await db.send(new PutItemCommand({ TableName: 'Orders-dev', Item: { orderId: { S: 'o1' }, customerId: { S: 'c1' }, amount: { N: '30' } } }));
    await db.send(new PutItemCommand({ TableName: 'Orders-dev', Item: { orderId: { S: 'o2' }, customerId: { S: 'c1' }, amount: { N: '12' } } }));
    await until(async () => (await total('c1')) === '42', 'the function to add both orders');
    await db.send(new PutItemCommand({ TableName: 'Orders-dev', Item: { orderId: { S: 'o2' }, customerId: { S: 'c1' }, amount: { N: '20' } } }));
    await until(async () => (await total('c1')) === '50', 'the function to add the change of an order');

    // New code: the trigger is redeployed, and the next order is counted by it.
    app.edit('src/sync.mjs', "':s': { S: process.env.STAGE }", "':s': { S: `${process.env.STAGE}-v2` }");
    const redeployed = await deploy(server.endpoint, app.dir, stack);
    assert.match(redeployed.stdout, /\n {2}~ trigger sam-app-SyncTotalsFunction-0AE1B873DB22 on Orders-dev \(SyncTotalsFunction, AWS::Serverless::Function\)\n/);
    await db.send(new PutItemCommand({ TableName: 'Orders-dev', Item: { orderId: { S: 'o3' }, customerId: { S: 'c2' }, amount: { N: '5' } } }));
    const stageOf = async (customer: string): Promise<string | undefined> =>
      (await db.send(new GetItemCommand({ TableName: 'CustomerTotals-dev', Key: { customerId: { S: customer } }, ConsistentRead: true }))).Item?.['stage']?.S;
    await until(async () => (await stageOf('c2')) === 'dev-v2', 'the new code to count the next order');

    // A restart: the deployed trigger is still there and runs.
    await server.stop();
    server = await startServerProcess({ dataDir: server.dataDir });
    db = server.client();
    await db.send(new PutItemCommand({ TableName: 'Orders-dev', Item: { orderId: { S: 'o4' }, customerId: { S: 'c2' }, amount: { N: '7' } } }));
    await until(async () => (await total('c2')) === '12', 'the trigger to run after the restart');
    const totals = (await db.send(new ScanCommand({ TableName: 'CustomerTotals-dev', ConsistentRead: true }))).Items?.map((i) => [i['customerId']?.S, i['total']?.N, i['orderCount']?.N]).sort();
    assert.deepEqual(totals, [['c1', '50', '2'], ['c2', '12', '2']]);
  });

  it('a serverless.yml with a stage: its resources, and its stream function writing an audit row per change', async () => {
    const app = copyApp('serverless-app');
    const run = await deploy(server.endpoint, app.dir, ['serverless.yml', '--stage', 'qa']);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout.split('\n').slice(0, 9).join('\n'), [
      'Stack audit-log-qa (serverless.yml) in us-east-1:',
      '  + table Items-qa (ItemsTable, AWS::DynamoDB::Table)',
      '      1. create the table (keys id HASH; PAY_PER_REQUEST; stream NEW_AND_OLD_IMAGES)',
      '      2. turn TTL on (attribute expiresAt)',
      '  + table Audit-qa (AuditTable, AWS::DynamoDB::Table)',
      '      1. create the table (keys itemId HASH, at RANGE; PAY_PER_REQUEST)',
      '  + trigger audit-log-qa-recordChanges on Items-qa (RecordChangesLambdaFunction, AWS::Serverless::Function)',
      '  ! skipped HealthLambdaFunction (AWS::Serverless::Function) Events.Event0.Type: httpApi events are not served (DynamoDB events are)',
      '  ! skipped HealthLambdaFunction (AWS::Serverless::Function): no DynamoDB event: nothing triggers it here',
    ].join('\n'));
    const ttl = (await db.send(new DescribeTimeToLiveCommand({ TableName: 'Items-qa' }))).TimeToLiveDescription;
    assert.deepEqual([ttl?.TimeToLiveStatus, ttl?.AttributeName], ['ENABLED', 'expiresAt']);
    await db.send(new PutItemCommand({ TableName: 'Items-qa', Item: { id: { S: 'i1' } } }));
    await db.send(new PutItemCommand({ TableName: 'Items-qa', Item: { id: { S: 'i1' }, colour: { S: 'red' } } }));
    const changes = async (): Promise<string[]> => ((await db.send(new QueryCommand({
      TableName: 'Audit-qa', KeyConditionExpression: 'itemId = :i', ExpressionAttributeValues: { ':i': { S: 'i1' } }, ConsistentRead: true,
    }))).Items ?? []).map((i) => i['change']?.S ?? '');
    await until(async () => (await changes()).length === 2, 'two audit rows');
    assert.deepEqual(await changes(), ['INSERT', 'MODIFY']);
    const again = await deploy(server.endpoint, app.dir, ['serverless.yml', '--stage', 'qa', '--plan']);
    assert.match(again.stdout, /\nNo changes\.\n$/);
    // Changed: the stream's batch size, and a tag on the audit table.
    app.edit('serverless.yml', 'batchSize: 25', 'batchSize: 50');
    app.edit('serverless.yml', `          - AttributeName: at
            KeyType: RANGE`, `          - AttributeName: at
            KeyType: RANGE
        Tags:
          - Key: retention
            Value: long`);
    const changed = await deploy(server.endpoint, app.dir, ['serverless.yml', '--stage', 'qa']);
    assert.equal(changed.code, 0, changed.stderr);
    assert.equal(changed.stdout.split('\n').slice(0, 5).join('\n'), [
      'Stack audit-log-qa (serverless.yml) in us-east-1:',
      '  ~ table Audit-qa (AuditTable, AWS::DynamoDB::Table)',
      '      1. tag retention=long',
      '  ~ trigger audit-log-qa-recordChanges on Items-qa (RecordChangesLambdaFunction, AWS::Serverless::Function)',
      '  ! skipped HealthLambdaFunction (AWS::Serverless::Function) Events.Event0.Type: httpApi events are not served (DynamoDB events are)',
    ].join('\n'));
    const deployed = (await (await fetch(`${server.endpoint}/stratusdb/triggers`)).json()) as { triggers: { name: string }[] };
    assert.ok(deployed.triggers.some((t) => t.name === 'audit-log-qa-recordChanges'));
    assert.match((await deploy(server.endpoint, app.dir, ['serverless.yml', '--stage', 'qa', '--plan'])).stdout, /\nNo changes\.\n$/);
  });

  it('the CDK\'s output (cdk.out): its tables, and the function of its event source mapping from the asset directory', async () => {
    const app = copyApp('cdk-app');
    const run = await deploy(server.endpoint, app.dir, ['cdk.out']);
    assert.equal(run.code, 0, run.stderr);
    const ordersName = /\+ table (ShopStack-OrdersA9B65338-[0-9A-F]{12}) /.exec(run.stdout)?.[1];
    assert.ok(ordersName !== undefined, run.stdout);
    assert.match(run.stdout, /\n {2}\+ table ProductCounts \(ProductCounts14FA0C80, AWS::DynamoDB::Table\)\n {6}1\. create the table \(keys product HASH; PROVISIONED 5\/5\)\n {6}2\. turn TTL on \(attribute expiresAt\)\n/);
    assert.match(run.stdout, /\n {2}\+ trigger ShopStack-CountOrders987C233E-[0-9A-F]{12} on ShopStack-OrdersA9B65338-[0-9A-F]{12} \(CountOrdersDynamoDBEventSourceShopStackOrders3BAD3C4518CC0CD6, AWS::Lambda::EventSourceMapping\)\n/);
    assert.match(run.stdout, /\n {2}! skipped CountOrdersServiceRole854E4B15 \(AWS::IAM::Role\): not served/);
    const orders = (await db.send(new DescribeTableCommand({ TableName: ordersName }))).Table;
    assert.deepEqual(orders?.GlobalSecondaryIndexes?.map((g) => g.IndexName), ['byProduct']);
    assert.deepEqual(orders?.StreamSpecification, { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' });
    await db.send(new PutItemCommand({ TableName: ordersName, Item: { orderId: { S: 'o1' }, product: { S: 'kettle' } } }));
    const count = async (): Promise<string | undefined> => (await db.send(new GetItemCommand({ TableName: 'ProductCounts', Key: { product: { S: 'kettle' } }, ConsistentRead: true }))).Item?.['orderCount']?.N;
    await until(async () => (await count()) === '1', 'the function to count the order');
    // The generated name is kept: a second deployment changes nothing.
    const again = await deploy(server.endpoint, app.dir, ['cdk.out', '--plan']);
    assert.match(again.stdout, /\nNo changes\.\n$/);
    // Synthesized again with more capacity for the counts: changed in place.
    app.edit('cdk.out/ShopStack.template.json', '"ReadCapacityUnits": 5,\n     "WriteCapacityUnits": 5', '"ReadCapacityUnits": 10,\n     "WriteCapacityUnits": 5');
    const changed = await deploy(server.endpoint, app.dir, ['cdk.out']);
    assert.match(changed.stdout, /\n {2}~ table ProductCounts \(ProductCounts14FA0C80, AWS::DynamoDB::Table\)\n {6}1\. change throughput 5\/5 → 10\/5\n/);
    assert.equal((await db.send(new DescribeTableCommand({ TableName: 'ProductCounts' }))).Table?.ProvisionedThroughput?.ReadCapacityUnits, 10);
    assert.match((await deploy(server.endpoint, app.dir, ['cdk.out', '--plan'])).stdout, /\nNo changes\.\n$/);
  });

  it('a table no longer declared is kept and listed, and deleted with --prune; a function no longer declared loses its trigger', async () => {
    const app = copyApp('sam-app');
    const stack = ['template.yaml', '--stack-name', 'pruned', '--parameter', 'Stage=prod'];
    assert.equal((await deploy(server.endpoint, app.dir, stack)).code, 0);
    const template = app.read('template.yaml');
    const start = template.indexOf('  CustomerTotalsTable:');
    const end = template.indexOf('  OrdersApi:');
    app.write('template.yaml', template.slice(0, start) + template.slice(end));
    const kept = await deploy(server.endpoint, app.dir, stack);
    assert.equal(kept.code, 0, kept.stderr);
    assert.equal(kept.stdout, [
      'Stack pruned (template.yaml) in us-east-1:',
      '  - trigger pruned-SyncTotalsFunction-076394892291 (no longer declared)',
      '    table CustomerTotals-prod (CustomerTotalsTable) is no longer declared: kept (--prune deletes it)',
      '  ! skipped OrdersApi (AWS::Serverless::Api): not served (deploy makes DynamoDB tables and their stream-triggered functions)',
      'Plan: 0 to create, 0 to change, 1 to delete.',
      '  … trigger pruned-SyncTotalsFunction-076394892291: delete',
      'Applied stack pruned.',
      '',
    ].join('\n'));
    assert.ok((await db.send(new ListTablesCommand({}))).TableNames?.includes('CustomerTotals-prod'));
    const pruned = await deploy(server.endpoint, app.dir, [...stack, '--prune']);
    assert.equal(pruned.code, 0, pruned.stderr);
    assert.equal(pruned.stdout, [
      'Stack pruned (template.yaml) in us-east-1:',
      '  - table CustomerTotals-prod (CustomerTotalsTable, no longer declared; --prune)',
      '  ! skipped OrdersApi (AWS::Serverless::Api): not served (deploy makes DynamoDB tables and their stream-triggered functions)',
      'Plan: 0 to create, 0 to change, 1 to delete.',
      '  … CustomerTotals-prod: delete the table (--prune)',
      'Applied stack pruned.',
      '',
    ].join('\n'));
    assert.equal((await db.send(new ListTablesCommand({}))).TableNames?.includes('CustomerTotals-prod'), false);
    const after = await deploy(server.endpoint, app.dir, [...stack, '--prune', '--plan']);
    assert.match(after.stdout, /\nNo changes\.\n$/);
  });

  it('a JSON template: a Python function in inline code, triggered by an event source mapping', { skip: python === undefined ? noBoto3 : false }, async () => {
    const pythonServer = await startServerProcess({ args: ['--python', python as string] });
    try {
      const notes = pythonServer.client();
      const app = copyApp('python-app');
      const run = await deploy(pythonServer.endpoint, app.dir, ['template.json']);
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stdout, /\n {2}\+ trigger copy-notes on Notes \(NotesStream, AWS::Lambda::EventSourceMapping\)\n/);
      await notes.send(new PutItemCommand({ TableName: 'Notes', Item: { id: { S: 'n1' }, text: { S: 'first' } } }));
      await notes.send(new PutItemCommand({ TableName: 'Notes', Item: { id: { S: 'n2' }, text: { S: 'second' } } }));
      const copies = async (): Promise<string[]> => ((await notes.send(new ScanCommand({ TableName: 'NoteCopies', ConsistentRead: true }))).Items ?? []).map((i) => `${i['id']?.S}:${i['text']?.S}`).sort();
      await until(async () => (await copies()).length === 2, 'the Python function to copy both notes');
      assert.deepEqual(await copies(), ['n1:first', 'n2:second']);
      const again = await deploy(pythonServer.endpoint, app.dir, ['template.json', '--plan']);
      assert.equal(again.stdout, 'Stack template (template.json) in us-east-1:\nNo changes.\n');
    } finally {
      await pythonServer.dispose();
    }
  });

  it('a global table: made in the stack\'s region with a replica in the other, whose writes reach it', async () => {
    const app = copyApp('global-table');
    const run = await deploy(server.endpoint, app.dir, ['template.yaml', '--stack-name', 'profiles']);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout.split('\n').slice(0, 8).join('\n'), [
      'Stack profiles (template.yaml) in us-east-1:',
      '  + table UserProfiles (Profiles, AWS::DynamoDB::GlobalTable)',
      '      1. create the table (keys userId HASH; PAY_PER_REQUEST; stream NEW_AND_OLD_IMAGES)',
      '      2. add a replica in eu-west-1',
      '      3. turn TTL on (attribute expiresAt)',
      '      4. turn point-in-time recovery on (35 days)',
      '  ! skipped Profiles (AWS::DynamoDB::GlobalTable) Replicas[1].Region: the settings of the replica in eu-west-1 are not set by deploy: it gets the table\'s',
      'Plan: 1 to create, 0 to change, 0 to delete.',
    ].join('\n'));
    const table = (await db.send(new DescribeTableCommand({ TableName: 'UserProfiles' }))).Table;
    assert.deepEqual(table?.Replicas?.map((r) => [r.RegionName, r.ReplicaStatus]), [['eu-west-1', 'ACTIVE']]);
    const west = server.client('eu-west-1');
    await db.send(new PutItemCommand({ TableName: 'UserProfiles', Item: { userId: { S: 'u1' }, name: { S: 'Ada' } } }));
    await until(async () => (await west.send(new GetItemCommand({ TableName: 'UserProfiles', Key: { userId: { S: 'u1' } } }))).Item?.['name']?.S === 'Ada', 'the write to reach eu-west-1');
    const again = await deploy(server.endpoint, app.dir, ['template.yaml', '--stack-name', 'profiles', '--plan']);
    assert.equal(again.stdout, 'Stack profiles (template.yaml) in us-east-1:\n  ! skipped Profiles (AWS::DynamoDB::GlobalTable) Replicas[1].Region: the settings of the replica in eu-west-1 are not set by deploy: it gets the table\'s\nNo changes.\n');
  });

  it('a trigger the server refuses is named by its resource, with the server\'s reason', async () => {
    const app = copyApp('sam-app');
    app.edit('template.yaml', 'BatchSize: 10', 'BatchSize: 0');
    // Tables of its own: the trigger is refused after they are made (deploy does not roll back).
    app.edit('template.yaml', "!Sub 'Orders-${Stage}'", "!Sub 'RefusedOrders-${Stage}'");
    app.edit('template.yaml', "!Sub 'CustomerTotals-${Stage}'", "!Sub 'RefusedTotals-${Stage}'");
    const run = await deploy(server.endpoint, app.dir, ['template.yaml', '--stack-name', 'refused-trigger']);
    assert.deepEqual([run.code, run.stderr], [1,
      'stratusdb deploy: template.yaml: SyncTotalsFunction (AWS::Serverless::Function): trigger refused-trigger-SyncTotalsFunction-F35C3037DFDF: ValidationException: Definition.batchSize: must be an integer from 1 to 10000 (got 0)\n']);
    const triggers = (await (await fetch(`${server.endpoint}/stratusdb/triggers`)).json()) as { triggers: { name: string }[] };
    assert.equal(triggers.triggers.some((t) => t.name.startsWith('refused-trigger-')), false);
  });

  it('a table given a new name is made; the old one is kept and listed until --prune', async () => {
    const app = copyApp('seed-table');
    const stack = ['template.yaml', '--stack-name', 'renamed', '--parameter', 'Environment=r1'];
    assert.equal((await deploy(server.endpoint, app.dir, stack)).code, 0);
    app.edit('template.yaml', '!Sub UserEvents-${Environment}', '!Sub UserEvents2-${Environment}');
    const renamed = await deploy(server.endpoint, app.dir, stack);
    assert.equal(renamed.code, 0, renamed.stderr);
    assert.match(renamed.stdout, /\n {2}\+ table UserEvents2-r1 \(UserEvents, AWS::DynamoDB::Table\)\n/);
    assert.match(renamed.stdout, /\n {4}table UserEvents-r1 \(UserEvents\) is no longer declared: kept \(--prune deletes it\)\nPlan: 1 to create, 0 to change, 0 to delete\.\n/);
    const again = await deploy(server.endpoint, app.dir, stack);
    assert.equal(again.stdout, 'Stack renamed (template.yaml) in us-east-1:\n    table UserEvents-r1 (UserEvents@UserEvents-r1) is no longer declared: kept (--prune deletes it)\nNo changes.\n');
    const pruned = await deploy(server.endpoint, app.dir, [...stack, '--prune']);
    assert.match(pruned.stdout, /\n {2}- table UserEvents-r1 \(UserEvents@UserEvents-r1, no longer declared; --prune\)\n/);
    const names = (await db.send(new ListTablesCommand({}))).TableNames ?? [];
    assert.deepEqual([names.includes('UserEvents-r1'), names.includes('UserEvents2-r1')], [false, true]);
  });
});

