// ConditionExpression on PutItem/DeleteItem and ProjectionExpression on GetItem through the SDK,
// including seed scenario 1: idempotent writes under at-least-once delivery.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  ConditionalCheckFailedException, CreateTableCommand, DeleteItemCommand, DescribeTableCommand, GetItemCommand, PutItemCommand,
  QueryCommand, ScanCommand, type AttributeValue, type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { onDemandTable } from '../helpers/tables.js';

describe('conditions and projections', () => {
  let server: ServerProcess;
  let db: DynamoDBClient;
  before(async () => {
    server = await startServerProcess();
    db = server.client();
    await db.send(new CreateTableCommand(onDemandTable('UserPreferences', ['PK', 'S'], ['SK', 'S'])));
    await db.send(new CreateTableCommand(onDemandTable('Orders', ['orderId', 'S'])));
    await db.send(new CreateTableCommand(onDemandTable('Docs', ['id', 'S'])));
  });
  after(async () => server.dispose());

  it('scenario 1: a replayed click event is refused and nothing is duplicated', async () => {
    const doc = DynamoDBDocumentClient.from(db);
    await doc.send(new PutCommand({ TableName: 'UserPreferences', Item: { PK: 'USER#42', SK: 'PREFS', theme: 'dark' } }));
    const prefs = await doc.send(new GetCommand({ TableName: 'UserPreferences', Key: { PK: 'USER#42', SK: 'PREFS' }, ConsistentRead: true }));
    assert.equal(prefs.Item?.['theme'], 'dark');
    const click = (requestId: string) => doc.send(new PutCommand({
      TableName: 'UserPreferences',
      Item: { PK: 'USER#42', SK: requestId, type: 'click', target: 'buy-button' },
      ConditionExpression: 'attribute_not_exists(SK)',
    }));
    await click('req-0001');
    await assert.rejects(click('req-0001'), (error: Error) => {
      assert.ok(error instanceof ConditionalCheckFailedException);
      assert.equal(error.message, 'The conditional request failed');
      return true;
    });
    await click('req-0002');
    assert.equal((await db.send(new DescribeTableCommand({ TableName: 'UserPreferences' }))).Table?.ItemCount, 3);
  });

  it('scenario 1: an order writer under redelivery writes once', async () => {
    const put = () => db.send(new PutItemCommand({
      TableName: 'Orders',
      Item: { orderId: { S: 'order-7' }, total: { N: '19.99' } },
      ConditionExpression: 'attribute_not_exists(orderId)',
    }));
    const outcomes = await Promise.allSettled([put(), put(), put(), put()]);
    assert.equal(outcomes.filter((o) => o.status === 'fulfilled').length, 1);
    for (const o of outcomes) if (o.status === 'rejected') assert.equal((o.reason as Error).name, 'ConditionalCheckFailedException');
  });

  it('returns the current item with the exception when asked (ReturnValuesOnConditionCheckFailure)', async () => {
    await db.send(new PutItemCommand({ TableName: 'Docs', Item: { id: { S: 'v' }, version: { N: '3' } } }));
    await assert.rejects(
      db.send(new PutItemCommand({
        TableName: 'Docs', Item: { id: { S: 'v' }, version: { N: '4' } },
        ConditionExpression: '#v = :expected', ExpressionAttributeNames: { '#v': 'version' }, ExpressionAttributeValues: { ':expected': { N: '2' } },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      })),
      (error: ConditionalCheckFailedException) => {
        assert.deepEqual(error.Item, { id: { S: 'v' }, version: { N: '3' } });
        return true;
      },
    );
    await db.send(new PutItemCommand({
      TableName: 'Docs', Item: { id: { S: 'v' }, version: { N: '4' } },
      ConditionExpression: '#v = :expected', ExpressionAttributeNames: { '#v': 'version' }, ExpressionAttributeValues: { ':expected': { N: '3.0' } },
    }));
    assert.equal((await db.send(new GetItemCommand({ TableName: 'Docs', Key: { id: { S: 'v' } } }))).Item?.['version']?.N, '4');
  });

  it('evaluates the whole condition language against the stored item', async () => {
    await db.send(new PutItemCommand({
      TableName: 'Docs',
      Item: {
        id: { S: 'c' }, n: { N: '10' }, s: { S: 'hello world' }, tags: { SS: ['a', 'b'] }, b: { B: Uint8Array.from([1, 2, 3]) },
        lst: { L: [{ S: 'x' }, { N: '2' }] }, m: { M: { deep: { M: { flag: { BOOL: true } } } } }, nul: { NULL: true },
      },
    }));
    const values = {
      ':five': { N: '5' }, ':ten': { N: '10' }, ':twenty': { N: '2E1' }, ':hello': { S: 'hello' }, ':a': { S: 'a' },
      ':z': { S: 'z' }, ':x': { S: 'x' }, ':two': { N: '2' }, ':prefix': { B: Uint8Array.from([1, 2]) }, ':tN': { S: 'N' },
      ':true': { BOOL: true }, ':eleven': { N: '11' },
    };
    const cases: readonly [string, boolean][] = [
      ['n = :ten', true], ['n <> :ten', false], ['n < :twenty AND n > :five', true], ['n <= :ten AND n >= :ten', true],
      ['n BETWEEN :five AND :twenty', true], ['n BETWEEN :eleven AND :twenty', false], ['n IN (:five, :ten)', true], ['n IN (:five, :twenty)', false],
      ['s > :hello', true], ['begins_with(s, :hello)', true], ['contains(s, :z)', false], ['contains(tags, :a)', true],
      ['contains(lst, :x)', true], ['contains(lst, :two)', true], ['begins_with(b, :prefix)', true],
      ['attribute_exists(m.deep.flag)', true], ['m.deep.flag = :true', true], ['attribute_not_exists(m.deep.nope)', true],
      ['attribute_type(n, :tN)', true], ['attribute_type(s, :tN)', false], ['size(s) = :eleven', true], ['size(tags) = :two', true],
      ['size(lst) > :five', false], ['lst[1] = :two', true], ['lst[5] = :two', false], ['n = :hello', false], ['n <> :hello', true],
      ['absent <> :ten', true], ['absent = :ten', false], ['NOT n = :ten', false], ['NOT (n = :five) AND n = :ten', true],
      ['n = :five OR n = :ten AND s = :hello', false], ['(n = :five OR n = :ten) AND begins_with(s, :hello)', true],
      ['attribute_exists(nul)', true], ['(n) = :ten', true], ['size(m) = :five', false],
    ];
    for (const [expression, expected] of cases) {
      const used = Object.fromEntries(Object.entries(values).filter(([k]) => new RegExp(`${k}\\b`).test(expression)));
      const check = db.send(new DeleteItemCommand({
        TableName: 'Docs', Key: { id: { S: 'c' } }, ConditionExpression: `${expression} AND attribute_not_exists(never)`,
        ...(Object.keys(used).length > 0 ? { ExpressionAttributeValues: used } : {}),
        ReturnValues: 'NONE',
      }));
      if (expected) {
        await check;
        await db.send(new PutItemCommand({
          TableName: 'Docs',
          Item: {
            id: { S: 'c' }, n: { N: '10' }, s: { S: 'hello world' }, tags: { SS: ['a', 'b'] }, b: { B: Uint8Array.from([1, 2, 3]) },
            lst: { L: [{ S: 'x' }, { N: '2' }] }, m: { M: { deep: { M: { flag: { BOOL: true } } } } }, nul: { NULL: true },
          },
        }));
      } else {
        await assert.rejects(check, { name: 'ConditionalCheckFailedException' }, expression);
      }
    }
  });

  it('reads legacy conditions as AWS does: NOT_CONTAINS needs the attribute, ConditionalOperator joins two or more', async () => {
    await db.send(new CreateTableCommand(onDemandTable('Legacy', ['pk', 'S'])));
    await db.send(new PutItemCommand({ TableName: 'Legacy', Item: { pk: { S: 'k1' }, a: { S: 'x' }, b: { S: 'y' } } }));
    const notContains = { ComparisonOperator: 'NOT_CONTAINS' as const, AttributeValueList: [{ S: 'q' }] };
    // The attribute is missing: the legacy operator is false, while NOT contains(…) in an expression is true.
    await assert.rejects(db.send(new PutItemCommand({ TableName: 'Legacy', Item: { pk: { S: 'k1' } }, Expected: { missing: notContains } })), ConditionalCheckFailedException);
    assert.equal((await db.send(new ScanCommand({ TableName: 'Legacy', ScanFilter: { missing: notContains } }))).Count, 0);
    assert.equal((await db.send(new ScanCommand({ TableName: 'Legacy', ScanFilter: { a: notContains } }))).Count, 1);
    assert.equal((await db.send(new ScanCommand({ TableName: 'Legacy', FilterExpression: 'NOT contains(#m, :q)', ExpressionAttributeNames: { '#m': 'missing' }, ExpressionAttributeValues: { ':q': { S: 'q' } } }))).Count, 1);
    const eq = (value: string) => ({ ComparisonOperator: 'EQ' as const, AttributeValueList: [{ S: value }] });
    assert.equal((await db.send(new ScanCommand({ TableName: 'Legacy', ConditionalOperator: 'AND', ScanFilter: { a: eq('x'), b: eq('y') } }))).Count, 1);
    assert.equal((await db.send(new QueryCommand({ TableName: 'Legacy', KeyConditions: { pk: eq('k1') }, ConditionalOperator: 'OR', QueryFilter: { a: eq('x'), b: eq('nope') } }))).Count, 1);
    // KeyConditions go with expressions as long as KeyConditionExpression is absent.
    const query = await db.send(new QueryCommand({ TableName: 'Legacy', KeyConditions: { pk: eq('k1') }, FilterExpression: 'a = :v', ProjectionExpression: 'b', ExpressionAttributeValues: { ':v': { S: 'x' } } }));
    assert.deepEqual(query.Items, [{ b: { S: 'y' } }]);
    await db.send(new DeleteItemCommand({ TableName: 'Legacy', Key: { pk: { S: 'k1' } }, ConditionalOperator: 'OR', Expected: { a: eq('x'), b: eq('zzz') } }));
    assert.equal((await db.send(new GetItemCommand({ TableName: 'Legacy', Key: { pk: { S: 'k1' } }, ConsistentRead: true }))).Item, undefined);
    // An empty Expected is no condition at all (DynamoDB Local writes; no ConditionalOperator, so no refusal).
    await db.send(new PutItemCommand({ TableName: 'Legacy', Item: { pk: { S: 'k2' } }, Expected: {} }));
    assert.deepEqual((await db.send(new GetItemCommand({ TableName: 'Legacy', Key: { pk: { S: 'k2' } }, ConsistentRead: true }))).Item, { pk: { S: 'k2' } });
  });

  it('projects nothing for a path that indexes a map or names a member of a list', async () => {
    await db.send(new PutItemCommand({ TableName: 'Docs', Item: { id: { S: 'shapes' }, m: { M: { k: { S: 'v' } } }, l: { L: [{ S: 'z' }] } } }));
    const got = await db.send(new GetItemCommand({ TableName: 'Docs', Key: { id: { S: 'shapes' } }, ProjectionExpression: 'm[0], l.x, id', ConsistentRead: true }));
    assert.deepEqual(got.Item, { id: { S: 'shapes' } });
  });

  it('treats a missing item as having no attributes', async () => {
    await assert.rejects(db.send(new DeleteItemCommand({ TableName: 'Docs', Key: { id: { S: 'nobody' } }, ConditionExpression: 'attribute_exists(id)' })), { name: 'ConditionalCheckFailedException' });
    await db.send(new DeleteItemCommand({ TableName: 'Docs', Key: { id: { S: 'nobody' } }, ConditionExpression: 'attribute_not_exists(id)' }));
  });

  it('projects nested paths and list elements as DynamoDB shapes them', async () => {
    await db.send(new PutItemCommand({
      TableName: 'Docs',
      Item: {
        id: { S: 'p' }, a: { M: { b: { S: 'keep' }, c: { S: 'drop' } } },
        lst: { L: [{ S: 'zero' }, { S: 'one' }, { M: { x: { N: '1' }, y: { N: '2' } } }] }, extra: { S: 'o' },
      },
    }));
    const got = await db.send(new GetItemCommand({
      TableName: 'Docs', Key: { id: { S: 'p' } },
      ProjectionExpression: 'a.b, #l[2].y, #l[0], absent, extra',
      ExpressionAttributeNames: { '#l': 'lst' },
    }));
    assert.deepEqual(got.Item, { a: { M: { b: { S: 'keep' } } }, lst: { L: [{ S: 'zero' }, { M: { y: { N: '2' } } }] }, extra: { S: 'o' } });
  });

  it('accepts everything at the limits: 32-level values and paths, 255-byte placeholders, 2 MB of substitutions', async () => {
    // 31 maps around a string: the leaf is the 32nd level, the deepest DynamoDB stores.
    let deep: AttributeValue = { S: 'leaf' };
    for (let i = 0; i < 31; i++) deep = { M: { n: deep } };
    await db.send(new PutItemCommand({ TableName: 'Docs', Item: { id: { S: 'deep' }, d: deep } }));
    const leafPath = `d${'.n'.repeat(31)}`;
    const got = await db.send(new GetItemCommand({ TableName: 'Docs', Key: { id: { S: 'deep' } }, ProjectionExpression: leafPath, ConsistentRead: true }));
    assert.deepEqual(got.Item, { d: deep });
    // The same value compared through a 255-byte placeholder of each kind.
    const name = `#${'n'.repeat(254)}`;
    const value = `:${'v'.repeat(254)}`;
    await db.send(new PutItemCommand({
      TableName: 'Docs', Item: { id: { S: 'deep' }, d: deep, again: { BOOL: true } },
      ConditionExpression: `${name} = ${value} AND ${leafPath} = :leaf`,
      ExpressionAttributeNames: { [name]: 'd' },
      ExpressionAttributeValues: { [value]: deep, ':leaf': { S: 'leaf' } },
    }));
    // Just under 2 MB of values (five 400 KB strings) is accepted.
    const values: Record<string, AttributeValue> = {};
    const terms: string[] = [];
    for (let i = 0; i < 5; i++) {
      values[`:b${i}`] = { S: String(i).repeat(400 * 1024) };
      terms.push(`again <> :b${i}`);
    }
    await db.send(new PutItemCommand({ TableName: 'Docs', Item: { id: { S: 'deep' }, d: deep, again: { BOOL: false } }, ConditionExpression: terms.join(' AND '), ExpressionAttributeValues: values }));
    const after = await db.send(new GetItemCommand({ TableName: 'Docs', Key: { id: { S: 'deep' } }, ProjectionExpression: 'again', ConsistentRead: true }));
    assert.deepEqual(after.Item, { again: { BOOL: false } });
  });
});

describe('legacy Expected', () => {
  let server: ServerProcess;
  let db: DynamoDBClient;
  before(async () => {
    server = await startServerProcess();
    db = server.client();
    await db.send(new CreateTableCommand(onDemandTable('Legacy', ['id', 'S'])));
    await db.send(new PutItemCommand({ TableName: 'Legacy', Item: { id: { S: 'x' }, n: { N: '5' }, s: { S: 'abc' } } }));
  });
  after(async () => server.dispose());

  const passes: readonly [string, Record<string, unknown>, 'AND' | 'OR' | undefined][] = [
    ['Exists false on a missing attribute', { nope: { Exists: false } }, undefined],
    ['an implicit EQ through Value', { n: { Value: { N: '5.0' } } }, undefined],
    ['BETWEEN', { n: { ComparisonOperator: 'BETWEEN', AttributeValueList: [{ N: '1' }, { N: '9' }] } }, undefined],
    ['BEGINS_WITH and NOT_NULL together', { s: { ComparisonOperator: 'BEGINS_WITH', AttributeValueList: [{ S: 'ab' }] }, n: { ComparisonOperator: 'NOT_NULL' } }, 'AND'],
    ['OR of a false and a true condition', { n: { ComparisonOperator: 'GT', AttributeValueList: [{ N: '9' }] }, s: { ComparisonOperator: 'IN', AttributeValueList: [{ S: 'zzz' }, { S: 'abc' }] } }, 'OR'],
  ];
  for (const [name, expected, operator] of passes) {
    it(`passes ${name}`, async () => {
      await db.send(new PutItemCommand({ TableName: 'Legacy', Item: { id: { S: 'x' }, n: { N: '5' }, s: { S: 'abc' } }, Expected: expected as never, ...(operator === undefined ? {} : { ConditionalOperator: operator }) }));
    });
  }

  const fails: readonly [string, Record<string, unknown>, 'AND' | 'OR' | undefined][] = [
    ['Exists false on a present attribute', { n: { Exists: false } }, undefined],
    ['a wrong Value', { n: { Value: { N: '6' } } }, undefined],
    ['an AND with one false condition', { n: { ComparisonOperator: 'LT', AttributeValueList: [{ N: '9' }] }, s: { ComparisonOperator: 'NULL' } }, 'AND'],
  ];
  for (const [name, expected, operator] of fails) {
    it(`fails ${name}`, async () => {
      await assert.rejects(
        db.send(new PutItemCommand({ TableName: 'Legacy', Item: { id: { S: 'x' } }, Expected: expected as never, ...(operator === undefined ? {} : { ConditionalOperator: operator }) })),
        { name: 'ConditionalCheckFailedException', message: 'The conditional request failed' },
      );
    });
  }
});
