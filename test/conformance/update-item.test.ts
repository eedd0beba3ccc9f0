// UpdateItem through the SDK: every action, nested paths, upsert, ReturnValues, runtime errors,
// and the legacy AttributeUpdates parameter.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CreateTableCommand, GetItemCommand, PutItemCommand, TransactWriteItemsCommand, UpdateItemCommand, type AttributeValue, type DynamoDBClient, type UpdateItemCommandInput } from '@aws-sdk/client-dynamodb';
import { ListStreamsCommand } from '@aws-sdk/client-dynamodb-streams';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { Entity } from 'electrodb';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { readStream } from '../helpers/stream-reader.js';
import { onDemandTable } from '../helpers/tables.js';

describe('UpdateItem', () => {
  let server: ServerProcess;
  let db: DynamoDBClient;
  const get = async (id: string) => (await db.send(new GetItemCommand({ TableName: 'Things', Key: { id: { S: id } }, ConsistentRead: true }))).Item;
  const update = (input: Omit<UpdateItemCommandInput, 'TableName'>) => db.send(new UpdateItemCommand({ TableName: 'Things', ...input }));

  before(async () => {
    server = await startServerProcess();
    db = server.client();
    await db.send(new CreateTableCommand(onDemandTable('Things', ['id', 'S'])));
  });
  after(async () => server.dispose());

  it('creates the item when it does not exist and counts with ADD (a counter)', async () => {
    for (let i = 0; i < 3; i++) await update({ Key: { id: { S: 'counter' } }, UpdateExpression: 'ADD #v :one', ExpressionAttributeNames: { '#v': 'views' }, ExpressionAttributeValues: { ':one': { N: '1' } } });
    assert.deepEqual(await get('counter'), { id: { S: 'counter' }, views: { N: '3' } });
  });

  it('SETs with arithmetic, if_not_exists and list_append, against the item as it was', async () => {
    await db.send(new PutItemCommand({ TableName: 'Things', Item: { id: { S: 's' }, n: { N: '1.5' }, l: { L: [{ S: 'a' }] } } }));
    const out = await update({
      Key: { id: { S: 's' } },
      UpdateExpression: 'SET n = n + :x, m = n - :x, l = list_append(l, :more), f = if_not_exists(f, :zero), g = if_not_exists(n, :zero)',
      ExpressionAttributeValues: { ':x': { N: '0.25' }, ':more': { L: [{ S: 'b' }] }, ':zero': { N: '0' } },
      ReturnValues: 'ALL_NEW',
    });
    assert.deepEqual(out.Attributes, { id: { S: 's' }, n: { N: '1.75' }, m: { N: '1.25' }, l: { L: [{ S: 'a' }, { S: 'b' }] }, f: { N: '0' }, g: { N: '1.5' } });
  });

  it('updates nested maps and lists, and removes list elements by their original index', async () => {
    await db.send(new PutItemCommand({ TableName: 'Things', Item: { id: { S: 'doc' }, a: { M: { b: { M: { c: { N: '1' } } } } }, l: { L: [{ N: '0' }, { N: '1' }, { N: '2' }, { N: '3' }] } } }));
    await update({ Key: { id: { S: 'doc' } }, UpdateExpression: 'SET a.b.c = :two, a.b.d = :two, l[1] = :x, l[10] = :end REMOVE l[0], l[2]', ExpressionAttributeValues: { ':two': { N: '2' }, ':x': { S: 'x' }, ':end': { S: 'end' } } });
    assert.deepEqual(await get('doc'), { id: { S: 'doc' }, a: { M: { b: { M: { c: { N: '2' }, d: { N: '2' } } } } }, l: { L: [{ S: 'x' }, { N: '3' }, { S: 'end' }] } });
  });

  it('ADDs and DELETEs set members; a set emptied by DELETE disappears', async () => {
    await update({ Key: { id: { S: 'sets' } }, UpdateExpression: 'ADD tags :ab', ExpressionAttributeValues: { ':ab': { SS: ['b', 'a'] } } });
    await update({ Key: { id: { S: 'sets' } }, UpdateExpression: 'ADD tags :bc', ExpressionAttributeValues: { ':bc': { SS: ['c', 'b'] } } });
    assert.deepEqual((await get('sets'))?.['tags'], { SS: ['a', 'b', 'c'] });
    await update({ Key: { id: { S: 'sets' } }, UpdateExpression: 'DELETE tags :ac', ExpressionAttributeValues: { ':ac': { SS: ['a', 'c'] } } });
    assert.deepEqual((await get('sets'))?.['tags'], { SS: ['b'] });
    await update({ Key: { id: { S: 'sets' } }, UpdateExpression: 'DELETE tags :b', ExpressionAttributeValues: { ':b': { SS: ['b'] } } });
    assert.deepEqual(await get('sets'), { id: { S: 'sets' } });
  });

  it('returns UPDATED_OLD and UPDATED_NEW as the updated paths only', async () => {
    await db.send(new PutItemCommand({ TableName: 'Things', Item: { id: { S: 'rv' }, a: { N: '1' }, b: { M: { c: { N: '1' }, d: { N: '9' } } }, keep: { S: 'k' } } }));
    const oldValues = await update({ Key: { id: { S: 'rv' } }, UpdateExpression: 'SET a = :v, b.c = :v', ExpressionAttributeValues: { ':v': { N: '5' } }, ReturnValues: 'UPDATED_OLD' });
    assert.deepEqual(oldValues.Attributes, { a: { N: '1' }, b: { M: { c: { N: '1' } } } });
    const newValues = await update({ Key: { id: { S: 'rv' } }, UpdateExpression: 'SET a = :v REMOVE keep', ExpressionAttributeValues: { ':v': { N: '6' } }, ReturnValues: 'UPDATED_NEW' });
    assert.deepEqual(newValues.Attributes, { a: { N: '6' } });
    const all = await update({ Key: { id: { S: 'rv' } }, UpdateExpression: 'REMOVE a', ReturnValues: 'ALL_OLD' });
    assert.deepEqual(all.Attributes, { id: { S: 'rv' }, a: { N: '6' }, b: { M: { c: { N: '5' }, d: { N: '9' } } } });
  });

  it('works through lib-dynamodb with a condition', async () => {
    const doc = DynamoDBDocumentClient.from(db);
    await doc.send(new UpdateCommand({ TableName: 'Things', Key: { id: 'stock' }, UpdateExpression: 'SET qty = :q', ExpressionAttributeValues: { ':q': 1 } }));
    const decrement = () => doc.send(new UpdateCommand({
      TableName: 'Things', Key: { id: 'stock' }, UpdateExpression: 'SET qty = qty - :one', ConditionExpression: 'qty > :zero',
      ExpressionAttributeValues: { ':one': 1, ':zero': 0 }, ReturnValues: 'ALL_NEW',
    }));
    assert.equal((await decrement()).Attributes?.['qty'], 0);
    await assert.rejects(decrement(), { name: 'ConditionalCheckFailedException' });
  });

  it('counts from a default: a function result on either side of + and -, in parentheses or not, through lib-dynamodb', async () => {
    const doc = DynamoDBDocumentClient.from(db);
    const counter = (expression: string, values: Record<string, unknown>) => doc.send(new UpdateCommand({
      TableName: 'Things', Key: { id: 'defaults' }, UpdateExpression: expression, ExpressionAttributeNames: { '#n': 'n' }, ExpressionAttributeValues: values, ReturnValues: 'UPDATED_NEW',
    }));
    // ElectroDB's subtract and add with a default, then the unparenthesised and reversed forms.
    assert.deepEqual((await counter('SET #n = (if_not_exists(#n, :start) - :dec)', { ':start': 100, ':dec': 1 })).Attributes, { n: 99 });
    assert.deepEqual((await counter('SET #n = (if_not_exists(#n, :start) + :inc)', { ':start': 0, ':inc': 5 })).Attributes, { n: 104 });
    assert.deepEqual((await counter('SET #n = if_not_exists(#n, :zero) - :dec', { ':zero': 0, ':dec': 4 })).Attributes, { n: 100 });
    assert.deepEqual((await counter('SET #n = :inc + if_not_exists(#n, :zero)', { ':zero': 0, ':inc': 1 })).Attributes, { n: 101 });
    assert.deepEqual((await counter('SET #n = if_not_exists(#n, :zero) + if_not_exists(m, :ten), l = list_append(if_not_exists(l, :empty), :one)', { ':zero': 0, ':ten': 10, ':empty': [], ':one': [1] })).Attributes, { n: 111, l: [1] });
    await assert.rejects(counter('SET #n = #n + :a - :b', { ':a': 1, ':b': 2 }), { name: 'ValidationException', message: 'Invalid UpdateExpression: Syntax error; token: "-", near: ":a - :b"' });
    await assert.rejects(counter('SET #n = (#n + :a) - :b', { ':a': 1, ':b': 2 }), { name: 'ValidationException', message: 'Invalid UpdateExpression: Syntax error; token: "-", near: ") - :b"' });
  });

  it('runs ElectroDB\'s add and subtract with a default (its (if_not_exists(#p, :d) - :v) form)', async () => {
    await db.send(new CreateTableCommand({
      TableName: 'Electro', BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'S' }],
    }));
    const stock = new Entity({
      model: { entity: 'stock', version: '1', service: 'shop' },
      attributes: { sku: { type: 'string', required: true }, count: { type: 'number' }, reserved: { type: 'number' } },
      indexes: { primary: { pk: { field: 'pk', composite: ['sku'] }, sk: { field: 'sk', composite: [] } } },
    }, { client: DynamoDBDocumentClient.from(db), table: 'Electro' });
    // subtract on a missing attribute starts from ElectroDB's default 0, then from the stored value.
    await stock.update({ sku: 'w1' }).subtract({ count: 3 }).go();
    const first = await stock.get({ sku: 'w1' }).go();
    assert.equal(first.data?.count, -3);
    await stock.update({ sku: 'w1' }).add({ count: 10 }).subtract({ reserved: 2 }).go();
    const second = await stock.get({ sku: 'w1' }).go();
    assert.deepEqual([second.data?.count, second.data?.reserved], [7, -2]);
    const params = stock.update({ sku: 'w1' }).subtract({ count: 1 }).params() as { UpdateExpression: string };
    assert.match(params.UpdateExpression, /= \(if_not_exists\(#count, :\w+\) - :\w+\)/);
  });

  it('creates nothing when the item is missing and the update only takes away: no item, no stream record, no ALL_NEW', async () => {
    await db.send(new CreateTableCommand({ ...onDemandTable('Removals', ['id', 'S']), StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' } }));
    const removals: Omit<UpdateItemCommandInput, 'TableName'>[] = [
      { Key: { id: { S: 'r1' } }, UpdateExpression: 'REMOVE a' },
      { Key: { id: { S: 'r2' } }, UpdateExpression: 'REMOVE a.b[3].c, d' },
      { Key: { id: { S: 'r3' } }, UpdateExpression: 'DELETE tags :t', ExpressionAttributeValues: { ':t': { SS: ['x'] } } },
      { Key: { id: { S: 'r4' } }, UpdateExpression: 'REMOVE a DELETE tags :t', ExpressionAttributeValues: { ':t': { NS: ['1'] } } },
      { Key: { id: { S: 'r5' } }, AttributeUpdates: { a: { Action: 'DELETE' }, tags: { Action: 'DELETE', Value: { SS: ['x'] } } } },
      { Key: { id: { S: 'r6' } }, UpdateExpression: 'REMOVE a', ConditionExpression: 'attribute_not_exists(id)' },
    ];
    for (const input of removals) {
      for (const ReturnValues of ['ALL_NEW', 'UPDATED_NEW', 'ALL_OLD'] as const) {
        const out = await db.send(new UpdateItemCommand({ TableName: 'Removals', ...input, ReturnValues, ReturnConsumedCapacity: 'TOTAL' }));
        assert.equal(out.Attributes, undefined, `${JSON.stringify(input)} ${ReturnValues}`);
        assert.deepEqual(out.ConsumedCapacity, { TableName: 'Removals', CapacityUnits: 1 });
      }
      assert.equal((await db.send(new GetItemCommand({ TableName: 'Removals', Key: input.Key ?? {}, ConsistentRead: true }))).Item, undefined);
    }
    await db.send(new TransactWriteItemsCommand({ TransactItems: [{ Update: { TableName: 'Removals', Key: { id: { S: 'r7' } }, UpdateExpression: 'REMOVE a' } }] }));
    assert.equal((await db.send(new GetItemCommand({ TableName: 'Removals', Key: { id: { S: 'r7' } }, ConsistentRead: true }))).Item, undefined);
    // An update that sets anything, or one with no actions at all, creates the item as before.
    await db.send(new UpdateItemCommand({ TableName: 'Removals', Key: { id: { S: 'made' } }, UpdateExpression: 'SET x = :v REMOVE a', ExpressionAttributeValues: { ':v': { N: '1' } } }));
    await db.send(new UpdateItemCommand({ TableName: 'Removals', Key: { id: { S: 'bare' } } }));
    const arn = (await server.streamsClient().send(new ListStreamsCommand({ TableName: 'Removals' }))).Streams?.[0]?.StreamArn ?? '';
    const records = await readStream(server.streamsClient(), arn);
    assert.deepEqual(records.map((r) => [r.eventName, r.dynamodb?.Keys?.['id']?.S]), [['INSERT', 'made'], ['INSERT', 'bare']]);
  });

  const runtime: readonly [string, Omit<UpdateItemCommandInput, 'TableName'>, string][] = [
    ['a missing operand', { Key: { id: { S: 'doc' } }, UpdateExpression: 'SET x = nothing' }, 'The provided expression refers to an attribute that does not exist in the item'],
    ['a path through a missing map', { Key: { id: { S: 'doc' } }, UpdateExpression: 'SET nothing.x = :v', ExpressionAttributeValues: { ':v': { N: '1' } } }, 'The document path provided in the update expression is invalid for update'],
    ['an index into a map', { Key: { id: { S: 'doc' } }, UpdateExpression: 'SET a[0] = :v', ExpressionAttributeValues: { ':v': { N: '1' } } }, 'The document path provided in the update expression is invalid for update'],
    ['arithmetic on a list', { Key: { id: { S: 'doc' } }, UpdateExpression: 'SET y = l + :v', ExpressionAttributeValues: { ':v': { N: '1' } } }, 'An operand in the update expression has an incorrect data type'],
    ['ADD of a number to a map', { Key: { id: { S: 'doc' } }, UpdateExpression: 'ADD a :v', ExpressionAttributeValues: { ':v': { N: '1' } } }, 'An operand in the update expression has an incorrect data type'],
    ['an overflowing sum', { Key: { id: { S: 'counter' } }, UpdateExpression: 'SET total_n = :a + :b', ExpressionAttributeValues: { ':a': { N: '9E+125' }, ':b': { N: '9E+125' } } }, 'Number overflow. Attempting to store a number with magnitude larger than supported range'],
    ['an overflowing sum of 39 digits (digits are checked first)', { Key: { id: { S: 'counter' } }, UpdateExpression: 'SET total_n = :a + :b', ExpressionAttributeValues: { ':a': { N: '9.9999999999999999999999999999999999999E+125' }, ':b': { N: '1E+125' } } }, 'DynamoDB only supports precision up to 38 digits'],
    ['a sum beyond 38 digits', { Key: { id: { S: 'counter' } }, UpdateExpression: 'SET total_n = :a + :b', ExpressionAttributeValues: { ':a': { N: '1E+20' }, ':b': { N: '1E-20' } } }, 'DynamoDB only supports precision up to 38 digits'],
    ['an ADD beyond 38 digits', { Key: { id: { S: 'counter' } }, UpdateExpression: 'ADD #v :a', ExpressionAttributeNames: { '#v': 'views' }, ExpressionAttributeValues: { ':a': { N: '1E-130' } } }, 'DynamoDB only supports precision up to 38 digits'],
    ['a key attribute', { Key: { id: { S: 'doc' } }, UpdateExpression: 'SET id = :v', ExpressionAttributeValues: { ':v': { S: 'x' } } }, 'One or more parameter values were invalid: Cannot update attribute id. This attribute is part of the key'],
    ['an item grown past 400 KB', { Key: { id: { S: 'doc' } }, UpdateExpression: 'SET big = :v', ExpressionAttributeValues: { ':v': { S: 'x'.repeat(400 * 1024) } } }, 'Item size to update has exceeded the maximum allowed size'],
  ];
  for (const [name, input, message] of runtime) {
    it(`refuses ${name} and changes nothing`, async () => {
      const before = await get(String(input.Key?.['id']?.S));
      await assert.rejects(update(input), (error: Error) => error.name === 'ValidationException' && error.message === message);
      assert.deepEqual(await get(String(input.Key?.['id']?.S)), before);
    });
  }

  it('refuses an update that would nest a value deeper than 32 levels, and changes nothing', async () => {
    let deep: AttributeValue = { S: 'leaf' };
    for (let i = 0; i < 31; i++) deep = { M: { n: deep } };
    await db.send(new PutItemCommand({ TableName: 'Things', Item: { id: { S: 'deep' }, d: deep } }));
    const nesting = 'Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit';
    const refusals: Omit<UpdateItemCommandInput, 'TableName'>[] = [
      { Key: { id: { S: 'deep' } }, UpdateExpression: 'SET d.n = :v', ExpressionAttributeValues: { ':v': deep } },
      { Key: { id: { S: 'deep' } }, UpdateExpression: `SET d${'.n'.repeat(30)}.x = :v`, ExpressionAttributeValues: { ':v': { M: { y: { S: 'z' } } } } },
      { Key: { id: { S: 'deep' } }, UpdateExpression: 'SET d.n.n = d' },
    ];
    for (const input of refusals) {
      await assert.rejects(update(input), (error: Error) => error.name === 'ValidationException' && error.message === nesting);
    }
    assert.deepEqual(await get('deep'), { id: { S: 'deep' }, d: deep });
    // The 32nd level itself is fine.
    await update({ Key: { id: { S: 'deep' } }, UpdateExpression: `SET d${'.n'.repeat(30)}.x = :v`, ExpressionAttributeValues: { ':v': { S: 'z' } } });
    let expected: AttributeValue = { M: { n: { S: 'leaf' }, x: { S: 'z' } } };
    for (let i = 0; i < 30; i++) expected = { M: { n: expected } };
    assert.deepEqual(await get('deep'), { id: { S: 'deep' }, d: expected });
  });

  it('applies the legacy AttributeUpdates parameter', async () => {
    await update({ Key: { id: { S: 'legacy' } }, AttributeUpdates: { n: { Action: 'ADD', Value: { N: '2' } }, s: { Action: 'PUT', Value: { S: 'x' } }, l: { Action: 'ADD', Value: { L: [{ N: '1' }] } } } });
    await update({ Key: { id: { S: 'legacy' } }, AttributeUpdates: { n: { Action: 'ADD', Value: { N: '3' } }, s: { Action: 'DELETE' }, l: { Action: 'ADD', Value: { L: [{ N: '2' }] } } } });
    assert.deepEqual(await get('legacy'), { id: { S: 'legacy' }, n: { N: '5' }, l: { L: [{ N: '1' }, { N: '2' }] } });
    await assert.rejects(update({ Key: { id: { S: 'legacy' } }, AttributeUpdates: { s: { Action: 'PUT' } } }), { message: 'One or more parameter values were invalid: Only DELETE action is allowed when no attribute value is specified' });
  });
});
