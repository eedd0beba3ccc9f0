// The bank invariant across three nodes on one PostgreSQL: 30 clients move money between 100
// accounts with TransactWriteItems, each transfer sent to one node and sent again, with the same
// ClientRequestToken, to another; TransactGetItems snapshots taken through a third must always add
// up. Node 0 is killed (-9) once a fixed number of transfers has been answered, while transfers are in
// flight, and restarted afterwards: the total holds, every acknowledged transfer applied exactly once,
// and one cut off by the kill at most once. Skipped, with the reason, without PostgreSQL.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { CreateTableCommand, PutItemCommand, ScanCommand, TransactGetItemsCommand, TransactWriteItemsCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { freshSchemaUrl, postgresForTests } from '../helpers/postgres-cluster.js';
import { seededRandom } from '../helpers/seeded-random.js';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';

const postgres = await postgresForTests();
const skip = typeof postgres === 'string' ? postgres : false;
if (skip !== false) console.log(`# ${skip}`);

const accounts = 100;
const initial = 1000;
const clients = 30;
const transfersPerClient = 8;
/** Node 0 is killed once this many transfers have been answered. */
const killAfter = 100;
const id = (n: number) => ({ id: { S: `acct-${String(n).padStart(3, '0')}` } });

interface Tally {
  answered: number;
  acknowledged: number;
  /** Transfers whose first send got no answer (node 0 died under it): applied once or not at all. */
  uncertain: number;
  killed: boolean;
}

/** A DynamoDB answer (the SDK parsed an exception the server sent), not a connection that broke. */
function answeredByServer(error: unknown): boolean {
  return typeof error === 'object' && error !== null && '$metadata' in error && typeof (error as { $metadata: { httpStatusCode?: number } }).$metadata.httpStatusCode === 'number';
}

describe('bank invariant on three nodes, one killed', { skip }, () => {
  const nodes: ServerProcess[] = [];
  after(async () => {
    await Promise.all(nodes.map((n) => n.dispose()));
  });

  it('keeps the total; each acknowledged transfer applied once, retried through another node', { timeout: 180_000 }, async () => {
    const data = freshSchemaUrl((postgres as { url: string }).url);
    nodes.push(await startServerProcess({ data }));
    nodes.push(...(await Promise.all([startServerProcess({ data }), startServerProcess({ data })])));
    const db = nodes.map((n) => n.client());
    await db[0]?.send(new CreateTableCommand({
      TableName: 'Bank', BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    }));
    for (let n = 0; n < accounts; n++) await db[n % 3]?.send(new PutItemCommand({ TableName: 'Bank', Item: { ...id(n), balance: { N: String(initial) } } }));

    const tally: Tally = { answered: 0, acknowledged: 0, uncertain: 0, killed: false };
    let kill: Promise<void> | undefined;
    const answered = (): void => {
      tally.answered++;
      if (tally.answered === killAfter) {
        tally.killed = true;
        kill = nodes[0]?.kill();
      }
    };
    const client = async (c: number): Promise<void> => {
      const random = seededRandom(c + 1);
      const first = db[c % 3] as DynamoDBClient;
      const again = db[(c + 1) % 3] as DynamoDBClient;
      for (let n = 0; n < transfersPerClient; n++) {
        const from = Math.floor(random() * accounts);
        const to = (from + 1 + Math.floor(random() * (accounts - 1))) % accounts;
        const amount = String(1 + Math.floor(random() * 20));
        const request = {
          ClientRequestToken: `c${c}-t${n}`,
          TransactItems: [
            { Update: { TableName: 'Bank', Key: id(from), UpdateExpression: 'SET balance = balance - :a ADD transfers :one', ConditionExpression: 'balance >= :a', ExpressionAttributeValues: { ':a': { N: amount }, ':one': { N: '1' } } } },
            { Update: { TableName: 'Bank', Key: id(to), UpdateExpression: 'SET balance = balance + :a', ExpressionAttributeValues: { ':a': { N: amount } } } },
          ],
        };
        try {
          await first.send(new TransactWriteItemsCommand(request));
          tally.acknowledged++;
        } catch (error) {
          if (!answeredByServer(error)) {
            // Node 0 died under the request: it may have committed. This client's node is gone.
            tally.uncertain++;
            answered();
            return;
          }
          // Not enough money, or a conflict with another transfer: nothing moved.
          assert.equal((error as Error).name, 'TransactionCanceledException', (error as Error).message);
          answered();
          continue;
        }
        answered();
        // The same transfer again, through another node: answered as done, applied no second time.
        try {
          await again.send(new TransactWriteItemsCommand(request));
        } catch (error) {
          if (answeredByServer(error)) throw error;
          // Sent to node 0 after it died: the transfer stands as acknowledged.
        }
      }
    };
    const workers = Promise.all(Array.from({ length: clients }, (_, c) => client(c)));
    let finished = false;
    const settled = workers.finally(() => (finished = true));
    let snapshots = 0;
    while (!finished) {
      const read = await (db[1] as DynamoDBClient).send(new TransactGetItemsCommand({ TransactItems: Array.from({ length: accounts }, (_, n) => ({ Get: { TableName: 'Bank', Key: id(n) } })) }));
      assert.equal((read.Responses ?? []).reduce((s, r) => s + Number(r.Item?.['balance']?.N), 0), accounts * initial);
      snapshots++;
    }
    await settled;
    await kill;
    assert.equal(tally.killed, true);

    const restarted = await startServerProcess({ data });
    nodes.push(restarted);
    let sum = 0;
    let applied = 0;
    let start: Record<string, never> | undefined;
    do {
      const page = await restarted.client().send(new ScanCommand({ TableName: 'Bank', ConsistentRead: true, ...(start === undefined ? {} : { ExclusiveStartKey: start }) }));
      for (const item of page.Items ?? []) {
        sum += Number(item['balance']?.N);
        applied += Number(item['transfers']?.N ?? '0');
      }
      start = page.LastEvaluatedKey as Record<string, never> | undefined;
    } while (start !== undefined);
    assert.equal(sum, accounts * initial);
    assert.ok(applied >= tally.acknowledged && applied <= tally.acknowledged + tally.uncertain, `${applied} applied, ${tally.acknowledged} acknowledged, ${tally.uncertain} cut off`);
    console.log(`bank invariant (3 nodes): ${tally.acknowledged} transfers acknowledged, ${applied} applied, ${tally.uncertain} cut off by the kill, ${snapshots} consistent snapshots`);
  });
});
