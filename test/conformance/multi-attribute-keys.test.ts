// Multi-attribute GSI keys (DynamoDB, November 2025): a GSI's partition key may be up to four
// attributes and its sort key up to four. Items sort by the sort key attributes one after another;
// an item missing any key attribute is not in the index; a Query names every partition key
// attribute with "=" and a prefix of the sort key attributes without gaps, only the last of which
// may carry a range condition. Expected results follow the behaviour captured on AWS.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateTableCommand, DescribeTableCommand, PutItemCommand, QueryCommand, ScanCommand, UpdateTableCommand,
  type AttributeValue, type DynamoDBClient, type QueryCommandInput,
} from '@aws-sdk/client-dynamodb';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { rejects } from '../helpers/rejects.js';
import { until } from '../helpers/until.js';


describe('multi-attribute GSI keys', () => {
  let server: ServerProcess;
  let db: DynamoDBClient;
  const values: Record<string, AttributeValue> = {
    ':h': { S: 'o1' }, ':a': { S: 'T' }, ':b': { S: 'live' }, ':c': { S: 'a' }, ':d': { S: 'r' }, ':x': { S: 'r1' }, ':y': { S: 'r1' },
  };
  const query = async (KeyConditionExpression: string, extra: Partial<QueryCommandInput> = {}) => {
    const used = Object.fromEntries(Object.entries(values).filter(([k]) => KeyConditionExpression.includes(k)));
    const out = await db.send(new QueryCommand({ TableName: 'Matches', IndexName: 'gsi', KeyConditionExpression, ExpressionAttributeValues: used, ...extra }));
    return { pks: (out.Items ?? []).map((i) => i['pk']?.S), last: out.LastEvaluatedKey };
  };

  before(async () => {
    server = await startServerProcess();
    db = server.client();
    await db.send(new CreateTableCommand({
      TableName: 'Matches', BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: ['pk', 'h', 'a', 'b', 'c', 'd'].map((AttributeName) => ({ AttributeName, AttributeType: 'S' as const })),
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      GlobalSecondaryIndexes: [{
        IndexName: 'gsi',
        KeySchema: [
          { AttributeName: 'h', KeyType: 'HASH' }, { AttributeName: 'a', KeyType: 'RANGE' }, { AttributeName: 'b', KeyType: 'RANGE' },
          { AttributeName: 'c', KeyType: 'RANGE' }, { AttributeName: 'd', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      }],
    }));
    const rows: Record<string, string | undefined>[] = [
      { pk: 'p1', a: 'T', b: 'live', c: 'b', d: 'r1' },
      { pk: 'p2', a: 'T', b: 'live', c: 'a', d: 'r2' },
      { pk: 'p3', a: 'T', b: 'live', c: 'a', d: 'r1' },
      { pk: 'p4', a: 'T', b: 'draft', c: 'c', d: 'r1' },
      { pk: 'p5', a: 'F', b: 'live', c: 'a', d: 'r0' },
      { pk: 'p6', a: 'T', b: 'live', c: undefined, d: 'r1' },
    ];
    for (const row of rows) {
      const Item: Record<string, AttributeValue> = { h: { S: 'o1' } };
      for (const [k, v] of Object.entries(row)) if (v !== undefined) Item[k] = { S: v };
      await db.send(new PutItemCommand({ TableName: 'Matches', Item }));
    }
  });
  after(async () => server.dispose());

  it('describes the key schema as created', async () => {
    const table = (await db.send(new DescribeTableCommand({ TableName: 'Matches' }))).Table;
    assert.deepEqual(table?.GlobalSecondaryIndexes?.[0]?.KeySchema?.map((k) => `${k.AttributeName}:${k.KeyType}`), ['h:HASH', 'a:RANGE', 'b:RANGE', 'c:RANGE', 'd:RANGE']);
    assert.equal(table?.GlobalSecondaryIndexes?.[0]?.ItemCount, 5);
  });

  it('takes legacy KeyConditions on a multi-attribute index as AWS does (scylladb issue 31393, recorded on AWS)', async () => {
    const eq = (value: string) => ({ ComparisonOperator: 'EQ' as const, AttributeValueList: [{ S: value }] });
    const out = await db.send(new QueryCommand({ TableName: 'Matches', IndexName: 'gsi', KeyConditions: { h: eq('o1'), a: eq('T'), b: eq('live') } }));
    assert.deepEqual((out.Items ?? []).map((i) => i['pk']?.S), ['p3', 'p2', 'p1']);
  });

  it('orders by the sort key attributes one after another, leaving out an item missing one', async () => {
    assert.deepEqual((await query('h = :h')).pks, ['p5', 'p4', 'p3', 'p2', 'p1']);
    assert.deepEqual((await query('h = :h AND a = :a')).pks, ['p4', 'p3', 'p2', 'p1']);
    assert.deepEqual((await query('h = :h AND a = :a', { ScanIndexForward: false })).pks, ['p1', 'p2', 'p3', 'p4']);
    assert.deepEqual((await query('h = :h AND a = :a AND b = :b')).pks, ['p3', 'p2', 'p1']);
    assert.deepEqual((await query('h = :h AND a = :a AND b = :b AND c = :c')).pks, ['p3', 'p2']);
  });

  it('takes a range condition on the last attribute named', async () => {
    assert.deepEqual((await query('h = :h AND a = :a AND b = :b AND c > :c')).pks, ['p1']);
    assert.deepEqual((await query('h = :h AND a = :a AND b < :b')).pks, ['p4']);
    assert.deepEqual((await query('h = :h AND a = :a AND b = :b AND c = :c AND begins_with(d, :d)')).pks, ['p3', 'p2']);
    assert.deepEqual((await query('h = :h AND a = :a AND b = :b AND c = :c AND d BETWEEN :x AND :y')).pks, ['p3']);
    assert.deepEqual((await query('b = :b AND h = :h AND a = :a')).pks, ['p3', 'p2', 'p1']);
  });

  it('pages with every key attribute in LastEvaluatedKey and resumes from it', async () => {
    const first = await query('h = :h AND a = :a', { Limit: 2 });
    assert.deepEqual(first.pks, ['p4', 'p3']);
    assert.deepEqual(Object.keys(first.last ?? {}).sort(), ['a', 'b', 'c', 'd', 'h', 'pk']);
    const second = await query('h = :h AND a = :a', { Limit: 2, ExclusiveStartKey: first.last });
    assert.deepEqual(second.pks, ['p2', 'p1']);
    const backwards = await query('h = :h AND a = :a', { Limit: 3, ScanIndexForward: false, ExclusiveStartKey: first.last });
    assert.deepEqual(backwards.pks, ['p4']);
    const scan = await db.send(new ScanCommand({ TableName: 'Matches', IndexName: 'gsi', Limit: 1 }));
    assert.deepEqual(Object.keys(scan.LastEvaluatedKey ?? {}).sort(), ['a', 'b', 'c', 'd', 'h', 'pk']);
  });

  it('refuses a gap or a range condition before the last sort key attribute named', async () => {
    const gap = (missing: string, present: string) =>
      `RANGE key attributes ${missing} must have equality conditions specified in the query because a condition is present on key attribute ${present}`;
    await rejects(query('h = :h AND a = :a AND c = :c'), 'ValidationException', gap('b', 'c'));
    await rejects(query('h = :h AND a = :a AND b > :b AND c = :c'), 'ValidationException', gap('b', 'c'));
    await rejects(query('h = :h AND b = :b'), 'ValidationException', gap('a', 'b'));
    await rejects(query('a = :a'), 'ValidationException', 'Query condition missed key schema element: h');
    await rejects(query('h = :h', { FilterExpression: 'c = :c', ExpressionAttributeValues: { ':h': { S: 'o1' }, ':c': { S: 'a' } } }),
      'ValidationException', 'Filter Expression can only contain non-primary key attributes: Primary key attribute: c');
  });

  it('refuses a starting key outside the conditions', async () => {
    const first = await query('h = :h AND a = :a', { Limit: 1 });
    await rejects(query('h = :h AND a = :a AND b = :b', { ExclusiveStartKey: first.last }), 'ValidationException', 'The provided starting key does not match the range key predicate');
    const partial = { ...first.last };
    delete partial['d'];
    await rejects(query('h = :h AND a = :a', { ExclusiveStartKey: partial }), 'ValidationException', 'The provided starting key is invalid');
  });
});

describe('multi-attribute GSI partition keys', () => {
  let server: ServerProcess;
  let db: DynamoDBClient;
  const byTenant = async (tenant: string, region: string, extra = '') => (await db.send(new QueryCommand({
    TableName: 'Events', IndexName: 'byTenant',
    KeyConditionExpression: `tenant = :t AND #r = :r${extra}`,
    ExpressionAttributeNames: { '#r': 'region' },
    ExpressionAttributeValues: { ':t': { S: tenant }, ':r': { N: region }, ...(extra === '' ? {} : { ':n': { N: '0' } }) },
  }))).Items?.map((i) => i['id']?.S) ?? [];

  before(async () => {
    server = await startServerProcess();
    db = server.client();
    await db.send(new CreateTableCommand({
      TableName: 'Events', BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: 'id', AttributeType: 'S' }, { AttributeName: 'tenant', AttributeType: 'S' },
        { AttributeName: 'region', AttributeType: 'N' }, { AttributeName: 'seq', AttributeType: 'N' }, { AttributeName: 'kind', AttributeType: 'S' },
      ],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      GlobalSecondaryIndexes: [{
        IndexName: 'byTenant',
        KeySchema: [{ AttributeName: 'tenant', KeyType: 'HASH' }, { AttributeName: 'region', KeyType: 'HASH' }, { AttributeName: 'seq', KeyType: 'RANGE' }, { AttributeName: 'kind', KeyType: 'RANGE' }],
        Projection: { ProjectionType: 'KEYS_ONLY' },
      }],
    }));
    const put = (id: string, tenant: string, region: string, seq: string, kind: string) =>
      db.send(new PutItemCommand({ TableName: 'Events', Item: { id: { S: id }, tenant: { S: tenant }, region: { N: region }, seq: { N: seq }, kind: { S: kind } } }));
    await put('e1', 'acme', '1', '5', 'x');
    await put('e2', 'acme', '1', '-2.5', 'x');
    await put('e3', 'acme', '1', '-10', 'y');
    await put('e4', 'acme', '2', '1', 'x');
    await put('e5', 'acme', '1.0', '-2.5', 'a');
  });
  after(async () => server.dispose());

  it('selects items by every partition key attribute, sorted numerically by the sort key', async () => {
    assert.deepEqual(await byTenant('acme', '1'), ['e3', 'e5', 'e2', 'e1']);
    assert.deepEqual(await byTenant('acme', '2'), ['e4']);
    assert.deepEqual(await byTenant('acme', '3'), []);
    assert.deepEqual(await byTenant('acme', '1', ' AND seq < :n'), ['e3', 'e5', 'e2']);
  });

  it('requires an equality on every partition key attribute', async () => {
    await rejects(db.send(new QueryCommand({ TableName: 'Events', IndexName: 'byTenant', KeyConditionExpression: 'tenant = :t', ExpressionAttributeValues: { ':t': { S: 'acme' } } })),
      'ValidationException', 'Query condition missed key schema element: region');
    await rejects(db.send(new QueryCommand({
      TableName: 'Events', IndexName: 'byTenant', KeyConditionExpression: 'tenant = :t AND #r > :r', ExpressionAttributeNames: { '#r': 'region' }, ExpressionAttributeValues: { ':t': { S: 'acme' }, ':r': { N: '0' } },
    })), 'ValidationException', 'Query key condition not supported');
  });

  it('refuses a mistyped key attribute on write, as for any index key', async () => {
    await rejects(db.send(new PutItemCommand({ TableName: 'Events', Item: { id: { S: 'bad' }, tenant: { S: 'acme' }, region: { S: 'one' } } })),
      'ValidationException', 'One or more parameter values were invalid: Type mismatch for Index Key region Expected: N Actual: S IndexName: byTenant');
  });

  it('is added to a live table with a backfill', async () => {
    await db.send(new UpdateTableCommand({
      TableName: 'Events',
      AttributeDefinitions: [{ AttributeName: 'kind', AttributeType: 'S' }, { AttributeName: 'tenant', AttributeType: 'S' }, { AttributeName: 'seq', AttributeType: 'N' }],
      GlobalSecondaryIndexUpdates: [{ Create: {
        IndexName: 'byKind',
        KeySchema: [{ AttributeName: 'kind', KeyType: 'HASH' }, { AttributeName: 'tenant', KeyType: 'HASH' }, { AttributeName: 'seq', KeyType: 'RANGE' }],
        Projection: { ProjectionType: 'ALL' },
      } }],
    }));
    await until(async () => (await db.send(new DescribeTableCommand({ TableName: 'Events' }))).Table?.GlobalSecondaryIndexes?.find((g) => g.IndexName === 'byKind')?.IndexStatus === 'ACTIVE', 'the index ACTIVE');
    const out = await db.send(new QueryCommand({
      TableName: 'Events', IndexName: 'byKind', KeyConditionExpression: 'kind = :k AND tenant = :t', ExpressionAttributeValues: { ':k': { S: 'x' }, ':t': { S: 'acme' } },
    }));
    assert.deepEqual(out.Items?.map((i) => i['id']?.S), ['e2', 'e4', 'e1']);
  });
});

describe('multi-attribute key schemas refused', () => {
  let server: ServerProcess;
  let db: DynamoDBClient;
  before(async () => {
    server = await startServerProcess();
    db = server.client();
  });
  after(async () => server.dispose());
  const names = ['pk', 'a', 'b', 'c', 'd', 'e'];
  const create = (keySchema: [string, 'HASH' | 'RANGE'][]) => db.send(new CreateTableCommand({
    TableName: 'Refused', BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: names.map((AttributeName) => ({ AttributeName, AttributeType: 'S' as const })),
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    GlobalSecondaryIndexes: [{ IndexName: 'gsi', KeySchema: keySchema.map(([AttributeName, KeyType]) => ({ AttributeName, KeyType })), Projection: { ProjectionType: 'ALL' } }],
  }));

  it('allows four attributes each, HASH elements first, each attribute once', async () => {
    await rejects(create([['a', 'HASH'], ['b', 'HASH'], ['c', 'HASH'], ['d', 'HASH'], ['e', 'HASH']]), 'ValidationException',
      'One or more parameter values were invalid: The KeySchema exceeds the maximum allowed number of HASH key attributes');
    await rejects(create([['pk', 'HASH'], ['a', 'RANGE'], ['b', 'RANGE'], ['c', 'RANGE'], ['d', 'RANGE'], ['e', 'RANGE']]), 'ValidationException',
      'One or more parameter values were invalid: The KeySchema exceeds the maximum allowed number of RANGE key attributes');
    await rejects(create([['a', 'HASH'], ['b', 'RANGE'], ['c', 'HASH']]), 'ValidationException',
      'One or more parameter values were invalid: All HASH key attributes must precede RANGE key attributes in the KeySchema');
    await rejects(create([['a', 'HASH'], ['b', 'RANGE'], ['a', 'RANGE']]), 'ValidationException', 'The KeySchema contains multiple key attributes with the same name');
    await rejects(create([['a', 'HASH'], ['a', 'RANGE']]), 'ValidationException', 'Both the Hash Key and the Range Key element in the KeySchema have the same name');
    await rejects(create([['a', 'RANGE'], ['b', 'HASH']]), 'ValidationException', 'Invalid KeySchema: The first KeySchemaElement is not a HASH key type');
    await rejects(db.send(new DescribeTableCommand({ TableName: 'Refused' })), 'ResourceNotFoundException', 'Requested resource not found: Table: Refused not found');
  });

  it('keeps a table key schema and an LSI to two elements', async () => {
    await assert.rejects(db.send(new CreateTableCommand({
      TableName: 'Refused', BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: names.slice(0, 3).map((AttributeName) => ({ AttributeName, AttributeType: 'S' as const })),
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'a', KeyType: 'RANGE' }, { AttributeName: 'b', KeyType: 'RANGE' }],
    })), (error: Error) => error.name === 'ValidationException' && error.message.includes('Member must have length less than or equal to 2'));
  });
});
