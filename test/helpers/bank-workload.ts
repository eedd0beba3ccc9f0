// The bank workload, shared by the bank invariant on one server and on several nodes: 100 accounts of
// 1,000, seeded transfers between two of them as TransactWriteItems with a ClientRequestToken (the
// debit counts the transfers applied), consistent snapshots, and the totals a scan finds.
import assert from 'node:assert/strict';
import {
  CreateTableCommand, PutItemCommand, ScanCommand, TransactGetItemsCommand, type DynamoDBClient, type TransactWriteItemsCommandInput,
} from '@aws-sdk/client-dynamodb';

export const accounts = 100;
export const initial = 1000;

const accountKey = (n: number) => ({ id: { S: `acct-${String(n).padStart(3, '0')}` } });

/** Creates the Bank table and its accounts, spreading the puts over the given clients. */
export async function openBank(clients: readonly DynamoDBClient[]): Promise<void> {
  await clients[0]?.send(new CreateTableCommand({
    TableName: 'Bank', BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
  }));
  for (let n = 0; n < accounts; n++) await clients[n % clients.length]?.send(new PutItemCommand({ TableName: 'Bank', Item: { ...accountKey(n), balance: { N: String(initial) } } }));
}

/** The next seeded transfer: an amount from one account to another, only if the first has it. */
export function transferRequest(random: () => number, token: string): TransactWriteItemsCommandInput {
  const from = Math.floor(random() * accounts);
  const to = (from + 1 + Math.floor(random() * (accounts - 1))) % accounts;
  const amount = String(1 + Math.floor(random() * 20));
  return {
    ClientRequestToken: token,
    TransactItems: [
      { Update: { TableName: 'Bank', Key: accountKey(from), UpdateExpression: 'SET balance = balance - :a ADD transfers :one', ConditionExpression: 'balance >= :a', ExpressionAttributeValues: { ':a': { N: amount }, ':one': { N: '1' } } } },
      { Update: { TableName: 'Bank', Key: accountKey(to), UpdateExpression: 'SET balance = balance + :a', ExpressionAttributeValues: { ':a': { N: amount } } } },
    ],
  };
}

/** A TransactGetItems snapshot of every account: it must add up. */
export async function checkSnapshot(db: DynamoDBClient): Promise<void> {
  const read = await db.send(new TransactGetItemsCommand({ TransactItems: Array.from({ length: accounts }, (_, n) => ({ Get: { TableName: 'Bank', Key: accountKey(n) } })) }));
  assert.equal((read.Responses ?? []).reduce((s, r) => s + Number(r.Item?.['balance']?.N), 0), accounts * initial);
}

/** The balances' sum and the transfers applied, by a consistent scan. */
export async function bankTotals(db: DynamoDBClient, TableName = 'Bank'): Promise<{ sum: number; applied: number }> {
  let sum = 0;
  let applied = 0;
  let start: Record<string, never> | undefined;
  do {
    const page = await db.send(new ScanCommand({ TableName, ConsistentRead: true, ...(start === undefined ? {} : { ExclusiveStartKey: start }) }));
    for (const item of page.Items ?? []) {
      sum += Number(item['balance']?.N);
      applied += Number(item['transfers']?.N ?? '0');
    }
    start = page.LastEvaluatedKey as Record<string, never> | undefined;
  } while (start !== undefined);
  return { sum, applied };
}
