// The stream replay workload, shared by the replay invariant on one server and on several nodes:
// seeded writes of every kind over a small key space (so items are rewritten often and many writes
// change nothing), and the replay of a NEW_AND_OLD_IMAGES stream onto an empty table that checks
// every record against the item as replayed (no gap, duplicate or reordering).
import assert from 'node:assert/strict';
import {
  BatchWriteItemCommand, DeleteItemCommand, ExecuteStatementCommand, PutItemCommand, ScanCommand, TransactWriteItemsCommand, UpdateItemCommand,
  type AttributeValue, type CreateTableCommandInput, type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import type { _Record } from '@aws-sdk/client-dynamodb-streams';

export type Item = Record<string, AttributeValue>;
/** Refusals a write of the workload may meet: answers, not failures. */
export const expectedRefusals = new Set(['ConditionalCheckFailedException', 'TransactionCanceledException', 'DuplicateItemException', 'TransactionConflictException']);

/** The table the workload writes: a GSI, and a stream with both images. */
export const replayTable: CreateTableCommandInput = {
  TableName: 'Replay', BillingMode: 'PAY_PER_REQUEST',
  AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'S' }, { AttributeName: 'tag', AttributeType: 'S' }],
  KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
  GlobalSecondaryIndexes: [{ IndexName: 'byTag', KeySchema: [{ AttributeName: 'tag', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }],
  StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
};

function keyOf(random: () => number): { pk: AttributeValue; sk: AttributeValue } {
  return { pk: { S: `p${Math.floor(random() * 5)}` }, sk: { S: `s${Math.floor(random() * 6)}` } };
}

/** A small value domain, so that many puts leave an item as it was. */
function itemOf(random: () => number, key: { pk: AttributeValue; sk: AttributeValue }): Item {
  const item: Item = { ...key, v: { N: String(Math.floor(random() * 3)) } };
  if (random() < 0.5) item['tag'] = { S: `t${Math.floor(random() * 2)}` };
  if (random() < 0.2) item['set'] = { SS: ['b', 'a'] };
  return item;
}

function distinctKeys(random: () => number, count: number): { pk: AttributeValue; sk: AttributeValue }[] {
  const keys = new Map<string, { pk: AttributeValue; sk: AttributeValue }>();
  while (keys.size < count) {
    const key = keyOf(random);
    keys.set(`${key.pk.S}/${key.sk.S}`, key);
  }
  return [...keys.values()];
}

/** One random write of any kind. */
export async function writeOnce(db: DynamoDBClient, random: () => number): Promise<void> {
  const kind = Math.floor(random() * 8);
  const key = keyOf(random);
  const TableName = 'Replay';
  switch (kind) {
    case 0:
      await db.send(new PutItemCommand({ TableName, Item: itemOf(random, key) }));
      return;
    case 1:
      await db.send(new UpdateItemCommand({ TableName, Key: key, UpdateExpression: 'SET v = if_not_exists(v, :zero) + :one', ExpressionAttributeValues: { ':zero': { N: '0' }, ':one': { N: '1' } } }));
      return;
    case 2:
      // Conditional: fails on a missing item; REMOVE of a missing attribute changes nothing.
      await db.send(new UpdateItemCommand({ TableName, Key: key, UpdateExpression: 'REMOVE tag', ConditionExpression: 'attribute_exists(pk)' }));
      return;
    case 3:
      await db.send(new DeleteItemCommand({ TableName, Key: key, ...(random() < 0.3 ? { ConditionExpression: 'v = :one', ExpressionAttributeValues: { ':one': { N: '1' } } } : {}) }));
      return;
    case 4: {
      const keys = distinctKeys(random, 3);
      await db.send(new BatchWriteItemCommand({ RequestItems: { [TableName]: keys.map((k) => (random() < 0.7 ? { PutRequest: { Item: itemOf(random, k) } } : { DeleteRequest: { Key: k } })) } }));
      return;
    }
    case 5: {
      const [a, b, c] = distinctKeys(random, 3) as [typeof key, typeof key, typeof key];
      await db.send(new TransactWriteItemsCommand({ TransactItems: [
        { Put: { TableName, Item: itemOf(random, a) } },
        { Update: { TableName, Key: b, UpdateExpression: 'SET tag = :t', ExpressionAttributeValues: { ':t': { S: 'tx' } } } },
        // Sometimes cancels the whole transaction.
        { ConditionCheck: { TableName, Key: c, ConditionExpression: random() < 0.5 ? 'attribute_exists(pk) OR attribute_not_exists(pk)' : 'attribute_exists(pk)' } },
      ] }));
      return;
    }
    case 6:
      await db.send(new ExecuteStatementCommand({ Statement: `UPDATE "Replay" SET v = 7 WHERE pk = '${key.pk.S}' AND sk = '${key.sk.S}'` }));
      return;
    default:
      await db.send(new ExecuteStatementCommand({ Statement: `INSERT INTO "Replay" VALUE {'pk': '${key.pk.S}', 'sk': '${key.sk.S}', 'v': 0}` }));
  }
}

/** Replays the stream onto an empty table, checking every record against the replayed item. */
export function replay(records: readonly _Record[]): Map<string, Item> {
  const table = new Map<string, Item>();
  let previous = -1n;
  for (const record of records) {
    const sequence = BigInt(record.dynamodb?.SequenceNumber ?? '0');
    assert.ok(sequence > previous, 'sequence numbers increase through the stream');
    previous = sequence;
    const keys = record.dynamodb?.Keys as Item;
    const id = `${keys['pk']?.S}/${keys['sk']?.S}`;
    const current = table.get(id);
    const { OldImage, NewImage } = record.dynamodb ?? {};
    switch (record.eventName) {
      case 'INSERT':
        assert.equal(current, undefined, `INSERT of ${id}, which exists`);
        assert.equal(OldImage, undefined);
        table.set(id, NewImage as Item);
        break;
      case 'MODIFY':
        assert.deepEqual(OldImage, current, `MODIFY of ${id}: OldImage is not the item as replayed`);
        assert.notDeepEqual(NewImage, OldImage, `MODIFY of ${id} that changes nothing`);
        table.set(id, NewImage as Item);
        break;
      case 'REMOVE':
        assert.deepEqual(OldImage, current, `REMOVE of ${id}: OldImage is not the item as replayed`);
        assert.equal(NewImage, undefined);
        table.delete(id);
        break;
      default:
        assert.fail(`unknown eventName ${record.eventName}`);
    }
  }
  return table;
}

export async function scanAll(db: DynamoDBClient): Promise<Map<string, Item>> {
  const items = new Map<string, Item>();
  let start: Item | undefined;
  do {
    const page = await db.send(new ScanCommand({ TableName: 'Replay', ConsistentRead: true, ...(start === undefined ? {} : { ExclusiveStartKey: start }) }));
    for (const item of page.Items ?? []) items.set(`${item['pk']?.S}/${item['sk']?.S}`, item);
    start = page.LastEvaluatedKey;
  } while (start !== undefined);
  return items;
}
