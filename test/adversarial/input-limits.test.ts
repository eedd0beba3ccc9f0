// Inputs built to hurt: attribute values nested far past DynamoDB's 32 levels (a 7 KB body once
// exhausted the stack), and strings that are not Unicode (lone UTF-16 surrogates once made two
// different keys one). Each gets DynamoDB's exception and changes nothing.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CreateTableCommand, GetItemCommand, PutItemCommand, ScanCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { authHeaders, callRaw, rawRequest } from '../helpers/raw-request.js';
import { onDemandTable } from '../helpers/tables.js';
import { rejects } from '../helpers/rejects.js';

const nestingTooDeep = 'Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit';
const serialization = { __type: 'com.amazon.coral.service#SerializationException' };
const validation = (message: string) => ({ __type: 'com.amazon.coral.validate#ValidationException', message });

/** JSON text of a String nested in `levels` lists (L) or maps (M). */
function nested(kind: 'L' | 'M', levels: number): string {
  return (kind === 'L' ? '{"L":['.repeat(levels) : '{"M":{"a":'.repeat(levels)) + '{"S":"x"}' + (kind === 'L' ? ']}' : '}}').repeat(levels);
}

describe('hostile input', () => {
  let server: ServerProcess;
  let db: DynamoDBClient;
  before(async () => {
    server = await startServerProcess();
    db = server.client();
    await db.send(new CreateTableCommand(onDemandTable('Limits', ['pk', 'S'])));
    await db.send(new PutItemCommand({ TableName: 'Limits', Item: { pk: { S: 'kept' } } }));
  });
  after(async () => server.dispose());

  for (const levels of [33, 100, 879, 1000, 5000, 100_000]) {
    for (const kind of ['L', 'M'] as const) {
      it(`refuses a value nested ${levels} levels in ${kind} wherever a request carries attribute values`, async () => {
        const v = nested(kind, levels);
        const cases: [operation: string, body: string, message: string][] = [
          ['PutItem', `{"TableName":"Limits","Item":{"pk":{"S":"a"},"v":${v}}}`, nestingTooDeep],
          ['UpdateItem', `{"TableName":"Limits","Key":{"pk":{"S":"a"}},"UpdateExpression":"SET v = :v","ExpressionAttributeValues":{":v":${v}}}`, `ExpressionAttributeValues contains invalid value: ${nestingTooDeep} for key :v`],
          ['UpdateItem', `{"TableName":"Limits","Key":{"pk":{"S":"a"}},"AttributeUpdates":{"v":{"Value":${v}}}}`, nestingTooDeep],
          ['DeleteItem', `{"TableName":"Limits","Key":{"pk":{"S":"a"}},"Expected":{"v":{"Value":${v}}}}`, nestingTooDeep],
          ['GetItem', `{"TableName":"Limits","Key":{"pk":${v}}}`, nestingTooDeep],
          ['Scan', `{"TableName":"Limits","ScanFilter":{"v":{"ComparisonOperator":"EQ","AttributeValueList":[${v}]}}}`, nestingTooDeep],
          ['BatchWriteItem', `{"RequestItems":{"Limits":[{"PutRequest":{"Item":{"pk":{"S":"a"},"v":${v}}}}]}}`, nestingTooDeep],
          ['TransactWriteItems', `{"TransactItems":[{"Put":{"TableName":"Limits","Item":{"pk":{"S":"a"},"v":${v}}}}]}`, nestingTooDeep],
          ['ExecuteStatement', `{"Statement":"INSERT INTO Limits VALUE {'pk': 'a', 'v': ?}","Parameters":[${v}]}`, nestingTooDeep],
        ];
        for (const [operation, body, parameterMessage] of cases) {
          // A body of a megabyte or more is refused before parsing, without naming the parameter.
          const message = body.length >= 1024 * 1024 ? nestingTooDeep : parameterMessage;
          const res = await callRaw(server.endpoint, operation, body);
          assert.deepEqual([res.status, res.json()], [400, validation(message)], `${operation} ${body.slice(0, 120)}`);
        }
      });
    }
  }

  it('refuses a body over a megabyte nested beyond any legal request before parsing it', async () => {
    const depth = 600_000;
    const res = await callRaw(server.endpoint, 'PutItem', `{"TableName":"Limits","Item":{"pk":{"S":"a"},"v":${'['.repeat(depth)}${']'.repeat(depth)}}}`);
    assert.deepEqual([res.status, res.json()], [400, validation(nestingTooDeep)]);
  });

  it('refuses strings with lone UTF-16 surrogates, so different keys never become one', async () => {
    for (const pk of ['user-\\ud83d', 'user-\\ud83e', 'user-\\udc00x', 'user-\\uDBFF']) {
      const res = await callRaw(server.endpoint, 'PutItem', `{"TableName":"Limits","Item":{"pk":{"S":"${pk}"}}}`);
      assert.deepEqual([res.status, res.json()], [400, serialization], pk);
    }
    // In a member name, a value deep in a map, an expression: the same.
    for (const body of [
      '{"TableName":"Limits","Item":{"pk":{"S":"a"},"n\\ud800":{"S":"x"}}}',
      '{"TableName":"Limits","Item":{"pk":{"S":"a"},"m":{"M":{"x":{"L":[{"S":"\\udfff"}]}}}}}',
      '{"TableName":"Limits","Item":{"pk":{"S":"a"}},"ConditionExpression":"attribute_not_exists(#\\ud800)"}',
    ]) {
      const res = await callRaw(server.endpoint, 'PutItem', body);
      assert.deepEqual([res.status, res.json()], [400, serialization], body);
    }
    // Through the SDK, which escapes a lone surrogate in its JSON (and, the reply having no message, says UnknownError).
    await rejects(db.send(new PutItemCommand({ TableName: 'Limits', Item: { pk: { S: 'user-\ud83d' } } })), 'SerializationException', 'UnknownError');
    // A surrogate pair escaped as JSON (as Python's json module writes it) is one character, as it should be.
    const pair = await callRaw(server.endpoint, 'PutItem', '{"TableName":"Limits","Item":{"pk":{"S":"smile-\\ud83d\\ude00"}}}');
    assert.equal(pair.status, 200);
    const got = await db.send(new GetItemCommand({ TableName: 'Limits', Key: { pk: { S: 'smile-😀' } } }));
    assert.deepEqual(got.Item, { pk: { S: 'smile-😀' } });
  });

  it('refuses bodies that are not UTF-8', async () => {
    for (const bytes of [[0xff, 0xfe], [0xc3], [0xed, 0xa0, 0xbd], [0xe2, 0x28, 0xa1], [0xf8, 0x88, 0x80, 0x80, 0x80]]) {
      const body = Buffer.concat([Buffer.from('{"TableName":"Limits","Item":{"pk":{"S":"bad-'), Buffer.from(bytes), Buffer.from('"}}}')]);
      const res = await rawRequest(server.endpoint, {
        headers: { 'Content-Type': 'application/x-amz-json-1.0', 'X-Amz-Target': 'DynamoDB_20120810.PutItem', ...authHeaders },
        body,
      });
      assert.deepEqual([res.status, res.json()], [400, serialization], Buffer.from(bytes).toString('hex'));
    }
  });

  it('changed nothing', async () => {
    const items = (await db.send(new ScanCommand({ TableName: 'Limits' }))).Items?.map((i) => i['pk']?.S).sort();
    assert.deepEqual(items, ['kept', 'smile-😀']);
  });
});
