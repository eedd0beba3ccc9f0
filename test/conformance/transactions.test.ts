// TransactWriteItems and TransactGetItems through the SDK (and lib-dynamodb's TransactWriteCommand):
// all-or-nothing across tables with index entries, cancellation reasons in request order with
// DynamoDB's texts, doubled capacity, ClientRequestToken idempotency (also across a restart and by an
// injected clock), and conflicts injected with --inject-transaction-conflicts.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateTableCommand, DynamoDBClient, ExecuteTransactionCommand, GetItemCommand, PutItemCommand, QueryCommand, TransactGetItemsCommand, TransactWriteItemsCommand,
  type AttributeValue, type TransactWriteItem,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { startServer } from '../../src/index.js';
import { startServerProcess, type ServerProcess, localOnly } from '../helpers/server-process.js';
import { rejects } from '../helpers/rejects.js';

type Item = Record<string, AttributeValue>;

async function createTables(db: DynamoDBClient): Promise<void> {
  await db.send(new CreateTableCommand({
    TableName: 'Accounts', BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }, { AttributeName: 'owner', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    GlobalSecondaryIndexes: [{ IndexName: 'byOwner', KeySchema: [{ AttributeName: 'owner', KeyType: 'HASH' }], Projection: { ProjectionType: 'KEYS_ONLY' } }],
  }));
  await db.send(new CreateTableCommand({
    TableName: 'Ledger', BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
  }));
}

const account = (id: string, balance: number, owner = 'ann'): Item => ({ id: { S: id }, balance: { N: String(balance) }, owner: { S: owner } });
const key = (id: string): Item => ({ id: { S: id } });
const move = (from: string, to: string, amount: number): TransactWriteItem[] => [
  { Update: { TableName: 'Accounts', Key: key(from), UpdateExpression: 'SET balance = balance - :a', ConditionExpression: 'balance >= :a', ExpressionAttributeValues: { ':a': { N: String(amount) } } } },
  { Update: { TableName: 'Accounts', Key: key(to), UpdateExpression: 'SET balance = balance + :a', ExpressionAttributeValues: { ':a': { N: String(amount) } } } },
];


describe('TransactWriteItems', () => {
  let server: ServerProcess;
  let db: DynamoDBClient;
  const balance = async (id: string) => (await db.send(new GetItemCommand({ TableName: 'Accounts', Key: key(id), ConsistentRead: true }))).Item?.['balance']?.N;

  before(async () => {
    server = await startServerProcess();
    db = server.client();
    await createTables(db);
    for (const [id, amount] of [['a', 100], ['b', 50], ['c', 0]] as const) await db.send(new PutItemCommand({ TableName: 'Accounts', Item: account(id, amount) }));
  });
  after(async () => server.dispose());

  it('applies every action across tables, with index entries and doubled capacity', async () => {
    const out = await db.send(new TransactWriteItemsCommand({
      TransactItems: [
        ...move('a', 'b', 30),
        { Put: { TableName: 'Ledger', Item: { id: { S: 't1' }, amount: { N: '30' } }, ConditionExpression: 'attribute_not_exists(id)' } },
        { Put: { TableName: 'Accounts', Item: account('d', 5, 'bob') } },
        { Delete: { TableName: 'Accounts', Key: key('c') } },
        { ConditionCheck: { TableName: 'Ledger', Key: key('t0'), ConditionExpression: 'attribute_not_exists(id)' } },
      ],
      ReturnConsumedCapacity: 'INDEXES',
    }));
    assert.deepEqual([await balance('a'), await balance('b'), await balance('c'), await balance('d')], ['70', '80', undefined, '5']);
    const byOwner = await db.send(new QueryCommand({ TableName: 'Accounts', IndexName: 'byOwner', KeyConditionExpression: '#o = :o', ExpressionAttributeNames: { '#o': 'owner' }, ExpressionAttributeValues: { ':o': { S: 'bob' } } }));
    assert.deepEqual(byOwner.Items, [{ id: { S: 'd' }, owner: { S: 'bob' } }]);
    // Accounts: two updates, a put and a delete (2 units each) and the GSI entries the put and delete wrote (2 each).
    assert.deepEqual(out.ConsumedCapacity, [
      // Transactions add the write split, at the top and in Table (single-item replies do not).
      { TableName: 'Accounts', CapacityUnits: 12, WriteCapacityUnits: 12, Table: { WriteCapacityUnits: 8, CapacityUnits: 8 }, GlobalSecondaryIndexes: { byOwner: { CapacityUnits: 4 } } },
      { TableName: 'Ledger', CapacityUnits: 4, WriteCapacityUnits: 4, Table: { WriteCapacityUnits: 4, CapacityUnits: 4 } },
    ]);
  });

  it('cancels the whole transaction with a reason per action when a condition fails', async () => {
    const error = await rejects(db.send(new TransactWriteItemsCommand({
      TransactItems: [
        ...move('b', 'a', 10),
        { Put: { TableName: 'Ledger', Item: { id: { S: 't1' }, amount: { N: '10' } }, ConditionExpression: 'attribute_not_exists(id)', ReturnValuesOnConditionCheckFailure: 'ALL_OLD' } },
        { ConditionCheck: { TableName: 'Accounts', Key: key('d'), ConditionExpression: 'balance > :x', ExpressionAttributeValues: { ':x': { N: '1000' } } } },
      ],
    })), 'TransactionCanceledException', 'Transaction cancelled, please refer cancellation reasons for specific reasons [None, None, ConditionalCheckFailed, ConditionalCheckFailed]');
    assert.deepEqual(error.CancellationReasons, [
      { Code: 'None' }, { Code: 'None' },
      { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed', Item: { id: { S: 't1' }, amount: { N: '30' } } },
      { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' },
    ]);
    assert.deepEqual([await balance('a'), await balance('b')], ['70', '80']);
  });

  it('reports an update that cannot apply as a ValidationError reason', async () => {
    const error = await rejects(db.send(new TransactWriteItemsCommand({
      TransactItems: [
        { Update: { TableName: 'Accounts', Key: key('a'), UpdateExpression: 'SET balance = nothere + :a', ExpressionAttributeValues: { ':a': { N: '1' } } } },
        { Put: { TableName: 'Accounts', Item: { id: { N: '5' } } } },
        { Delete: { TableName: 'Accounts', Key: { id: { L: [{ S: 'x' }] } } } },
      ],
    })), 'TransactionCanceledException', 'Transaction cancelled, please refer cancellation reasons for specific reasons [ValidationError, ValidationError, ValidationError]');
    assert.deepEqual(error.CancellationReasons, [
      { Code: 'ValidationError', Message: 'The provided expression refers to an attribute that does not exist in the item' },
      { Code: 'ValidationError', Message: 'One or more parameter values were invalid: Type mismatch for key id expected: S actual: N' },
      { Code: 'ValidationError', Message: 'The provided key element does not match the schema' },
    ]);
    assert.equal(await balance('a'), '70');
  });

  it('refuses malformed transactions as a whole with DynamoDB\'s messages', async () => {
    await rejects(db.send(new TransactWriteItemsCommand({ TransactItems: [] })), 'ValidationException',
      "1 validation error detected: Value '[]' at 'transactItems' failed to satisfy constraint: Member must have length greater than or equal to 1");
    await rejects(db.send(new TransactWriteItemsCommand({ TransactItems: [{ Put: { TableName: 'Accounts', Item: account('x', 1) } }, { Delete: { TableName: 'Accounts', Key: key('x') } }] })),
      'ValidationException', 'Transaction request cannot include multiple operations on one item');
    await rejects(db.send(new TransactWriteItemsCommand({ TransactItems: [{ Put: { TableName: 'Nope', Item: key('x') } }] })), 'ResourceNotFoundException', 'Requested resource not found');
    await rejects(db.send(new TransactWriteItemsCommand({ TransactItems: [{ Delete: { TableName: 'Accounts', Key: { id: { S: '' } } } }] })), 'ValidationException',
      'One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: id');
    await rejects(db.send(new TransactWriteItemsCommand({
      TransactItems: [{ Put: { TableName: 'Nope', Item: key('x') } }, { ConditionCheck: { TableName: 'Accounts', Key: key('a'), ConditionExpression: 'attribute_not_exists(' } }],
    })), 'ValidationException', 'Invalid ConditionExpression: Syntax error; token: "<EOF>", near: "("');
    await rejects(db.send(new TransactWriteItemsCommand({
      TransactItems: [{ ConditionCheck: { TableName: 'Accounts', Key: key('a'), ConditionExpression: 'attribute_exists(id)', ExpressionAttributeValues: { ':v': { S: 'x' } } } }],
    })), 'ValidationException', 'Value provided in ExpressionAttributeValues unused in expressions: keys: {:v}');
    await rejects(db.send(new TransactWriteItemsCommand({ TransactItems: [{ Put: { TableName: 'Accounts', Item: key('x') } }], ClientRequestToken: 'x'.repeat(37) })), 'ValidationException',
      `1 validation error detected: Value '${'x'.repeat(37)}' at 'clientRequestToken' failed to satisfy constraint: Member must have length less than or equal to 36`);
    assert.equal(await balance('x'), undefined);
  });

  it('refuses a transaction whose items add up to more than 4 MB, writing none of them; 4 MB and less is applied', async () => {
    // An item of id (2 + 1 bytes) and a 'blob' string attribute (4 + n bytes): sizes chosen to fall either side of 4 MiB.
    const big = (id: string, bytes: number): Item => ({ id: { S: id }, blob: { S: 'x'.repeat(bytes - 'id'.length - id.length - 'blob'.length) } });
    const itemBytes = 400 * 1024;
    const over = Array.from({ length: 11 }, (_, i): TransactWriteItem => ({ Put: { TableName: 'Ledger', Item: big(`big${i}`, Math.ceil(4 * 1024 * 1024 / 11) + 1) } }));
    await rejects(db.send(new TransactWriteItemsCommand({ TransactItems: over })), 'ValidationException', 'The aggregate size of the items in the transaction cannot exceed 4 MB');
    const ledger = async (id: string) => (await db.send(new GetItemCommand({ TableName: 'Ledger', Key: key(id), ConsistentRead: true }))).Item;
    assert.equal(await ledger('big0'), undefined);
    assert.equal(await ledger('big10'), undefined);
    // Ten items of 400 KB (4,096,000 bytes) and one of the rest up to exactly 4 MiB fit.
    const exact = [
      ...Array.from({ length: 10 }, (_, i): TransactWriteItem => ({ Put: { TableName: 'Ledger', Item: big(`fit${i}`, itemBytes) } })),
      { Put: { TableName: 'Ledger', Item: big('fit10', 4 * 1024 * 1024 - 10 * itemBytes) } },
    ];
    await db.send(new TransactWriteItemsCommand({ TransactItems: exact }));
    assert.equal((await ledger('fit10'))?.['blob']?.S?.length, 4 * 1024 * 1024 - 10 * itemBytes - 'id'.length - 'fit10'.length - 'blob'.length);
  });

  it('applies a ClientRequestToken\'s transaction once, and refuses the token for another request', async () => {
    const request = { TransactItems: move('a', 'b', 1), ClientRequestToken: 'transfer-0001' };
    await db.send(new TransactWriteItemsCommand(request));
    const replay = await db.send(new TransactWriteItemsCommand({ ...request, ReturnConsumedCapacity: 'TOTAL' }));
    assert.deepEqual(replay.ConsumedCapacity, [{ TableName: 'Accounts', CapacityUnits: 4, ReadCapacityUnits: 4 }]);
    assert.deepEqual([await balance('a'), await balance('b')], ['69', '81']);
    await rejects(db.send(new TransactWriteItemsCommand({ ...request, TransactItems: move('a', 'b', 2) })), 'IdempotentParameterMismatchException',
      'The request uses the same client token as a previous, but non-identical request.');
    // A token whose transaction was cancelled was never used: retrying runs it again.
    const failing = { TransactItems: move('c', 'a', 1), ClientRequestToken: 'transfer-0002' };
    await assert.rejects(db.send(new TransactWriteItemsCommand(failing)), { name: 'TransactionCanceledException' });
    await db.send(new PutItemCommand({ TableName: 'Accounts', Item: account('c', 1) }));
    await db.send(new TransactWriteItemsCommand(failing));
    assert.deepEqual([await balance('a'), await balance('c')], ['70', '0']);
  });

  it('refuses a token whose first request is still running', async () => {
    let inProgress = 0;
    for (let attempt = 0; attempt < 20 && inProgress === 0; attempt++) {
      const request = { TransactItems: [{ Put: { TableName: 'Ledger', Item: { id: { S: `race-${attempt}` } } } }], ClientRequestToken: `race-${attempt}` };
      const results = await Promise.allSettled([db.send(new TransactWriteItemsCommand(request)), db.send(new TransactWriteItemsCommand(request))]);
      for (const r of results) {
        if (r.status === 'rejected') {
          assert.equal((r.reason as Error).name, 'TransactionInProgressException');
          assert.equal((r.reason as Error).message, 'Transaction from previous request is still in progress');
          inProgress++;
        }
      }
      assert.ok(results.some((r) => r.status === 'fulfilled'));
    }
    assert.ok(inProgress > 0, 'two concurrent requests with one token never overlapped');
  });

  it('keeps a token across a restart', localOnly, async () => {
    const request = { TransactItems: move('b', 'a', 5), ClientRequestToken: 'transfer-0003' };
    await db.send(new TransactWriteItemsCommand(request));
    await server.kill();
    server = await startServerProcess({ dataDir: server.dataDir });
    db = server.client();
    await db.send(new TransactWriteItemsCommand(request));
    assert.deepEqual([await balance('a'), await balance('b')], ['75', '76']);
  });

  it('works through lib-dynamodb\'s TransactWriteCommand', async () => {
    const doc = DynamoDBDocumentClient.from(db);
    await doc.send(new TransactWriteCommand({
      TransactItems: [
        { Put: { TableName: 'Ledger', Item: { id: 'doc-1', amount: 7, tags: new Set(['x']) }, ConditionExpression: 'attribute_not_exists(id)' } },
        { Update: { TableName: 'Accounts', Key: { id: 'a' }, UpdateExpression: 'ADD balance :n', ExpressionAttributeValues: { ':n': 7 } } },
      ],
    }));
    assert.equal(await balance('a'), '82');
    const ledger = await db.send(new GetItemCommand({ TableName: 'Ledger', Key: key('doc-1') }));
    assert.deepEqual(ledger.Item, { id: { S: 'doc-1' }, amount: { N: '7' }, tags: { SS: ['x'] } });
  });
});

describe('TransactGetItems', () => {
  let server: ServerProcess;
  let db: DynamoDBClient;
  before(async () => {
    server = await startServerProcess();
    db = server.client();
    await createTables(db);
    await db.send(new PutItemCommand({ TableName: 'Accounts', Item: account('a', 10) }));
    await db.send(new PutItemCommand({ TableName: 'Ledger', Item: { id: { S: 't1' }, amount: { N: '3' }, note: { M: { text: { S: 'hi' } } } } }));
  });
  after(async () => server.dispose());

  it('reads items across tables, projected, in request order, at twice the strong read cost', async () => {
    const out = await db.send(new TransactGetItemsCommand({
      TransactItems: [
        { Get: { TableName: 'Ledger', Key: key('t1'), ProjectionExpression: 'note.#t, amount', ExpressionAttributeNames: { '#t': 'text' } } },
        { Get: { TableName: 'Accounts', Key: key('missing') } },
        { Get: { TableName: 'Accounts', Key: key('a') } },
      ],
      ReturnConsumedCapacity: 'TOTAL',
    }));
    assert.deepEqual(out.Responses, [{ Item: { note: { M: { text: { S: 'hi' } } }, amount: { N: '3' } } }, {}, { Item: account('a', 10) }]);
    assert.deepEqual(out.ConsumedCapacity, [{ TableName: 'Ledger', CapacityUnits: 2, ReadCapacityUnits: 2 }, { TableName: 'Accounts', CapacityUnits: 4, ReadCapacityUnits: 4 }]);
    // As recorded from AWS: one present and one missing item cost 2 units each, split in Table too.
    const indexes = await db.send(new TransactGetItemsCommand({
      TransactItems: [{ Get: { TableName: 'Accounts', Key: key('a') } }, { Get: { TableName: 'Accounts', Key: key('missing') } }],
      ReturnConsumedCapacity: 'INDEXES',
    }));
    assert.deepEqual(indexes.ConsumedCapacity, [{ TableName: 'Accounts', CapacityUnits: 4, ReadCapacityUnits: 4, Table: { ReadCapacityUnits: 4, CapacityUnits: 4 } }]);
  });

  it('cancels with a ValidationError reason for a key that does not fit its table', async () => {
    const error = await rejects(db.send(new TransactGetItemsCommand({ TransactItems: [{ Get: { TableName: 'Accounts', Key: key('a') } }, { Get: { TableName: 'Accounts', Key: {} } }] })),
      'TransactionCanceledException', 'Transaction cancelled, please refer cancellation reasons for specific reasons [None, ValidationError]');
    assert.deepEqual(error.CancellationReasons, [{ Code: 'None' }, { Code: 'ValidationError', Message: 'The provided key element does not match the schema' }]);
    await rejects(db.send(new TransactGetItemsCommand({ TransactItems: [{ Get: { TableName: 'Nope', Key: key('a') } }] })), 'ResourceNotFoundException', 'Requested resource not found');
    await rejects(db.send(new TransactGetItemsCommand({ TransactItems: [{ Get: { TableName: 'Accounts', Key: key('a'), ProjectionExpression: '!!!' } }] })),
      'ValidationException', 'Invalid ProjectionExpression: Syntax error; token: "!", near: "!!"');
  });
});

describe('injected transaction conflicts', localOnly, () => {
  let server: ServerProcess;
  let db: DynamoDBClient;
  before(async () => {
    server = await startServerProcess({ args: ['--inject-transaction-conflicts', '1'] });
    db = server.client();
    await createTables(db);
    await db.send(new PutItemCommand({ TableName: 'Accounts', Item: account('a', 10) }));
  });
  after(async () => server.dispose());

  it('fails transactions as a conflicting transaction would, changing nothing', async () => {
    const error = await rejects(db.send(new TransactWriteItemsCommand({ TransactItems: [{ Put: { TableName: 'Accounts', Item: account('a', 99) } }] })),
      'TransactionCanceledException', 'Transaction cancelled, please refer cancellation reasons for specific reasons [TransactionConflict]');
    assert.deepEqual(error.CancellationReasons, [{ Code: 'TransactionConflict', Message: 'Transaction is ongoing for the item' }]);
    let reads: (Error & { CancellationReasons?: unknown }) | undefined;
    await assert.rejects(db.send(new TransactGetItemsCommand({ TransactItems: [{ Get: { TableName: 'Accounts', Key: key('a') } }, { Get: { TableName: 'Ledger', Key: key('t') } }] })), (e: Error) => {
      reads = e;
      const codes = (e as Error & { CancellationReasons: { Code: string }[] }).CancellationReasons.map((r) => r.Code);
      assert.equal(e.message, `Transaction cancelled, please refer cancellation reasons for specific reasons [${codes.join(', ')}]`);
      return e.name === 'TransactionCanceledException';
    });
    reads = reads as Error & { CancellationReasons?: unknown };
    assert.equal((reads.CancellationReasons as { Code: string }[]).filter((r) => r.Code === 'TransactionConflict').length, 1);
    assert.equal((await db.send(new GetItemCommand({ TableName: 'Accounts', Key: key('a') }))).Item?.['balance']?.N, '10');
    // PartiQL's ExecuteTransaction fails the same way, reads and writes.
    const statement = await rejects(db.send(new ExecuteTransactionCommand({ TransactStatements: [{ Statement: `UPDATE Accounts SET balance = 5 WHERE id = 'a'` }] })),
      'TransactionCanceledException', 'Transaction cancelled, please refer cancellation reasons for specific reasons [TransactionConflict]');
    assert.deepEqual(statement.CancellationReasons, [{ Code: 'TransactionConflict', Message: 'Transaction is ongoing for the item' }]);
    await rejects(db.send(new ExecuteTransactionCommand({ TransactStatements: [{ Statement: `SELECT * FROM Accounts WHERE id = 'a'` }] })),
      'TransactionCanceledException', 'Transaction cancelled, please refer cancellation reasons for specific reasons [TransactionConflict]');
    assert.equal((await db.send(new GetItemCommand({ TableName: 'Accounts', Key: key('a') }))).Item?.['balance']?.N, '10');
    // Plain writes are not transactions: they still succeed.
    await db.send(new PutItemCommand({ TableName: 'Accounts', Item: account('a', 11) }));
  });
});

describe('ClientRequestToken expiry', () => {
  it('forgets a token ten minutes after its transaction (injected clock)', localOnly, async () => {
    let now = Date.UTC(2030, 0, 1);
    const server = await startServer({ port: 0, data: 'memory://', clock: { now: () => now } });
    const db = new DynamoDBClient({ endpoint: server.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' }, maxAttempts: 1 });
    try {
      await createTables(db);
      await db.send(new PutItemCommand({ TableName: 'Accounts', Item: account('a', 0) }));
      const request = { TransactItems: [{ Update: { TableName: 'Accounts', Key: key('a'), UpdateExpression: 'ADD balance :one', ExpressionAttributeValues: { ':one': { N: '1' } } } }], ClientRequestToken: 'tick' };
      const count = async () => (await db.send(new GetItemCommand({ TableName: 'Accounts', Key: key('a') }))).Item?.['balance']?.N;
      await db.send(new TransactWriteItemsCommand(request));
      now += 9 * 60 * 1000;
      await db.send(new TransactWriteItemsCommand(request));
      assert.equal(await count(), '1');
      now += 61 * 1000;
      await db.send(new TransactWriteItemsCommand(request));
      assert.equal(await count(), '2');
    } finally {
      db.destroy();
      await server.close();
    }
  });
});
