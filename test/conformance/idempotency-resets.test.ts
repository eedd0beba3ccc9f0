// Idempotency under connection resets: clients send transactions with a ClientRequestToken through
// a proxy that cuts connections at random — some requests never arrive, some are applied but their
// answers are lost — and retry each one with its token until it is answered. Every transaction must
// apply exactly once: each client's counter equals its transactions and each receipt exists once.
// Half the clients use TransactWriteItems, half PartiQL's ExecuteTransaction.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import {
  CreateTableCommand, DynamoDBClient, ExecuteTransactionCommand, GetItemCommand, PutItemCommand, ScanCommand, TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import { seededRandom } from '../helpers/seeded-random.js';
import { startServerProcess, type ServerProcess, localOnly } from '../helpers/server-process.js';
import { startFlakyProxy, type FlakyProxy } from '../helpers/flaky-proxy.js';

const clients = 8;
const perClient = 30;


/** What the server answers when it will not apply a transaction: never retried. */
const refusals = new Set(['TransactionCanceledException', 'IdempotentParameterMismatchException', 'ValidationException', 'ResourceNotFoundException', 'DuplicateItemException']);

/** Sends one transaction until it is answered; returns how many attempts that took. */
async function untilAnswered(send: () => Promise<unknown>): Promise<number> {
  for (let attempt = 1; attempt <= 200; attempt++) {
    try {
      await send();
      return attempt;
    } catch (error) {
      // An answer from the server ends the retries; anything else is a cut connection (or the same
      // token still being applied from an attempt whose answer was lost) and is retried.
      if (refusals.has((error as Error).name)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  }
  throw new Error('never answered');
}

async function client(db: DynamoDBClient, c: number): Promise<number> {
  let attempts = 0;
  for (let i = 0; i < perClient; i++) {
    const token = `reset-c${c}-t${i}`;
    if (c % 2 === 0) {
      const request = {
        ClientRequestToken: token,
        TransactItems: [
          { Update: { TableName: 'Counters', Key: { id: { S: `c${c}` } }, UpdateExpression: 'ADD n :one', ExpressionAttributeValues: { ':one': { N: '1' } } } },
          { Put: { TableName: 'Counters', Item: { id: { S: `receipt-c${c}-${i}` } }, ConditionExpression: 'attribute_not_exists(id)' } },
        ],
      };
      attempts += await untilAnswered(() => db.send(new TransactWriteItemsCommand(request)));
    } else {
      const request = {
        ClientRequestToken: token,
        TransactStatements: [
          { Statement: 'UPDATE Counters SET n = n + 1 WHERE id = ?', Parameters: [{ S: `c${c}` }] },
          { Statement: `INSERT INTO Counters VALUE {'id': ?}`, Parameters: [{ S: `receipt-c${c}-${i}` }] },
        ],
      };
      attempts += await untilAnswered(() => db.send(new ExecuteTransactionCommand(request)));
    }
  }
  return attempts;
}

for (const adapter of ['memory', 'lmdb'] as const) {
  describe(`idempotency under connection resets (${adapter})`, () => {
    let server: ServerProcess | undefined;
    let proxy: FlakyProxy | undefined;
    after(async () => {
      await proxy?.close();
      await server?.dispose();
    });

    it('applies every retried transaction exactly once', { ...localOnly, timeout: 120_000 }, async () => {
      server = await startServerProcess(adapter === 'memory' ? { args: ['--in-memory'] } : {});
      const direct = server.client();
      await direct.send(new CreateTableCommand({
        TableName: 'Counters', BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      }));
      for (let c = 0; c < clients; c++) await direct.send(new PutItemCommand({ TableName: 'Counters', Item: { id: { S: `c${c}` }, n: { N: '0' } } }));
      proxy = await startFlakyProxy(server.endpoint, { requestCut: 0.08, responseCut: 0.12, random: seededRandom(7) });
      const flaky = new DynamoDBClient({ endpoint: proxy.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' }, maxAttempts: 1 });
      try {
        const attempts = (await Promise.all(Array.from({ length: clients }, (_, c) => client(flaky, c)))).reduce((a, b) => a + b, 0);
        for (let c = 0; c < clients; c++) {
          const counter = await direct.send(new GetItemCommand({ TableName: 'Counters', Key: { id: { S: `c${c}` } }, ConsistentRead: true }));
          assert.equal(counter.Item?.['n']?.N, String(perClient), `client ${c}`);
        }
        const scanned = await direct.send(new ScanCommand({ TableName: 'Counters', Select: 'COUNT', ConsistentRead: true }));
        assert.equal(scanned.Count, clients + clients * perClient);
        // The run must have lost answers to applied transactions, not just requests.
        assert.ok(proxy.cuts.responses > 10 && proxy.cuts.requests > 5, JSON.stringify(proxy.cuts));
        console.log(`idempotency under resets (${adapter}): ${clients * perClient} transactions, ${attempts} attempts, ${proxy.cuts.requests} requests and ${proxy.cuts.responses} responses cut, each applied once`);
      } finally {
        flaky.destroy();
      }
    });
  });
}
