// The bank invariant: 50 concurrent clients move money between 100 accounts with TransactWriteItems
// (each transfer carries a ClientRequestToken and is sent twice); the total never changes — checked
// with TransactGetItems snapshots while transfers run — and no transfer applies twice. On LMDB the
// server is killed (-9) once half the transfers are answered, and restarted: every acknowledged
// transfer is there, the total holds. Each client makes a fixed number of seeded transfers.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { CreateTableCommand, PutItemCommand, ScanCommand, TransactGetItemsCommand, TransactWriteItemsCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { seededRandom } from '../helpers/seeded-random.js';
import { startServerProcess, type ServerProcess, localOnly } from '../helpers/server-process.js';
import { checkWhile, KillSwitch } from '../helpers/kill-switch.js';

const accounts = 100;
const clients = 50;
const initial = 1000;
const transfersPerClient = 8;
/** LMDB: the server is killed once this many transfers have been answered. */
const killAfter = (clients * transfersPerClient) / 2;
const id = (n: number) => ({ id: { S: `acct-${String(n).padStart(3, '0')}` } });


async function total(db: DynamoDBClient): Promise<{ sum: number; applied: number }> {
  let sum = 0;
  let applied = 0;
  let start: Record<string, never> | undefined;
  do {
    const page = await db.send(new ScanCommand({ TableName: 'Bank', ConsistentRead: true, ...(start === undefined ? {} : { ExclusiveStartKey: start }) }));
    for (const item of page.Items ?? []) {
      sum += Number(item['balance']?.N);
      applied += Number(item['transfers']?.N ?? '0');
    }
    start = page.LastEvaluatedKey as Record<string, never> | undefined;
  } while (start !== undefined);
  return { sum, applied };
}

/** A fixed number of seeded transfers, each sent and then retried with its token; stops once the server is gone. */
async function transfers(db: DynamoDBClient, client: number, tally: { acknowledged: number }, killSwitch: KillSwitch): Promise<void> {
  const random = seededRandom(client + 1);
  for (let n = 0; n < transfersPerClient && !killSwitch.killed; n++) {
    const from = Math.floor(random() * accounts);
    const to = (from + 1 + Math.floor(random() * (accounts - 1))) % accounts;
    const amount = String(1 + Math.floor(random() * 20));
    const request = {
      ClientRequestToken: `c${client}-t${n}`,
      TransactItems: [
        { Update: { TableName: 'Bank', Key: id(from), UpdateExpression: 'SET balance = balance - :a ADD transfers :one', ConditionExpression: 'balance >= :a', ExpressionAttributeValues: { ':a': { N: amount }, ':one': { N: '1' } } } },
        { Update: { TableName: 'Bank', Key: id(to), UpdateExpression: 'SET balance = balance + :a', ExpressionAttributeValues: { ':a': { N: amount } } } },
      ],
    };
    try {
      await db.send(new TransactWriteItemsCommand(request));
      // The retry with the same token must not move the money again.
      await db.send(new TransactWriteItemsCommand(request));
      tally.acknowledged++;
    } catch (error) {
      if (killSwitch.killed) break; // the server went away under us
      // Not enough money: nothing moved.
      if ((error as Error).name !== 'TransactionCanceledException') throw error;
    }
    killSwitch.answer();
  }
}

for (const adapter of ['memory', 'lmdb'] as const) {
  describe(`bank invariant (${adapter})`, () => {
    let server: ServerProcess | undefined;
    after(async () => server?.dispose());

    it('keeps the total and applies each transfer once, under 50 concurrent clients', { ...localOnly, timeout: 120_000 }, async () => {
      server = await startServerProcess(adapter === 'memory' ? { args: ['--in-memory'] } : {});
      let db = server.client();
      await db.send(new CreateTableCommand({
        TableName: 'Bank', BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      }));
      for (let n = 0; n < accounts; n++) await db.send(new PutItemCommand({ TableName: 'Bank', Item: { ...id(n), balance: { N: String(initial) } } }));
      const tally = { acknowledged: 0 };
      const killSwitch = new KillSwitch(server, adapter === 'lmdb' ? killAfter : undefined);
      const workers = Promise.all(Array.from({ length: clients }, (_, c) => transfers(db, c, tally, killSwitch)));
      // Snapshots of every account while transfers run (until they finish or the server is killed): each must add up.
      const snapshots = await checkWhile(workers, killSwitch, async () => {
        const read = await db.send(new TransactGetItemsCommand({ TransactItems: Array.from({ length: accounts }, (_, n) => ({ Get: { TableName: 'Bank', Key: id(n) } })) }));
        assert.equal((read.Responses ?? []).reduce((s, r) => s + Number(r.Item?.['balance']?.N), 0), accounts * initial);
      });
      if (adapter === 'lmdb') {
        assert.equal(killSwitch.killed, true);
        server = await startServerProcess({ dataDir: server.dataDir });
        db = server.client();
      } else {
        assert.equal(killSwitch.answered, clients * transfersPerClient);
      }
      const { sum, applied } = await total(db);
      assert.equal(sum, accounts * initial);
      const { acknowledged } = tally;
      // Every acknowledged transfer applied exactly once; one cut off by the kill may have applied once too.
      if (adapter === 'memory') assert.equal(applied, acknowledged);
      else assert.ok(applied >= acknowledged && applied <= acknowledged + clients, `${applied} applied, ${acknowledged} acknowledged`);
      console.log(`bank invariant (${adapter}): ${acknowledged} transfers acknowledged, ${applied} applied, ${snapshots} consistent snapshots`);
    });
  });
}
