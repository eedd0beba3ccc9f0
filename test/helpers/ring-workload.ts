// The ring workload (FoundationDB's Cycle), shared by the ring invariant on one server and on several
// nodes: N items each name the next, forming one cycle; a rotation reads a→b→c→d and, in one
// transaction guarded by conditions that the links are still as read, makes it a→c→b→d — through
// TransactWriteItems or PartiQL's ExecuteTransaction. Whatever interleaves, the items must always
// form a single cycle of length N.
import {
  CreateTableCommand, ExecuteTransactionCommand, GetItemCommand, PutItemCommand, TransactGetItemsCommand, TransactWriteItemsCommand, type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';

export const ringSize = 40;
export const ringKey = (n: number) => ({ id: { N: String(n) } });

/** Creates the Ring table and its cycle 0→1→…→N-1→0. */
export async function openRing(db: DynamoDBClient): Promise<void> {
  await db.send(new CreateTableCommand({
    TableName: 'Ring', BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'N' }], KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
  }));
  for (let n = 0; n < ringSize; n++) await db.send(new PutItemCommand({ TableName: 'Ring', Item: { ...ringKey(n), next: { N: String((n + 1) % ringSize) } } }));
}

/** The length of the cycle through item 0, or -1 when following `next` does not come back to 0 within N steps. */
export function cycleLength(next: ReadonlyMap<number, number>): number {
  let at = 0;
  for (let steps = 1; steps <= next.size; steps++) {
    const to = next.get(at);
    if (to === undefined) return -1;
    if (to === 0) return steps;
    at = to;
  }
  return -1;
}

/** Every link, read in one TransactGetItems. */
export async function ringSnapshot(db: DynamoDBClient): Promise<Map<number, number>> {
  const read = await db.send(new TransactGetItemsCommand({ TransactItems: Array.from({ length: ringSize }, (_, n) => ({ Get: { TableName: 'Ring', Key: ringKey(n) } })) }));
  return new Map((read.Responses ?? []).map((r, n) => [n, Number(r.Item?.['next']?.N)]));
}

export async function nextOf(db: DynamoDBClient, n: number): Promise<number> {
  const got = await db.send(new GetItemCommand({ TableName: 'Ring', Key: ringKey(n), ConsistentRead: true }));
  return Number(got.Item?.['next']?.N);
}

/** One guarded link change: `from`'s next becomes `to` if it is still `was`. */
export function linkUpdate(from: number, was: number, to: number) {
  return {
    Update: {
      TableName: 'Ring', Key: ringKey(from), UpdateExpression: 'SET #n = :to', ConditionExpression: '#n = :was',
      ExpressionAttributeNames: { '#n': 'next' }, ExpressionAttributeValues: { ':to': { N: String(to) }, ':was': { N: String(was) } },
    },
  };
}

/**
 * The rotation of b and c after a (`path` = a, b, c, d as read) in one transaction: through
 * TransactWriteItems, or PartiQL's ExecuteTransaction when `partiql`.
 */
export async function rotate(db: DynamoDBClient, [a, b, c, d]: readonly [number, number, number, number], partiql: boolean): Promise<void> {
  if (!partiql) {
    await db.send(new TransactWriteItemsCommand({ TransactItems: [linkUpdate(a, b, c), linkUpdate(c, d, b), linkUpdate(b, c, d)] }));
    return;
  }
  const link = (from: number, was: number, to: number) => ({ Statement: 'UPDATE Ring SET "next" = ? WHERE id = ? AND "next" = ?', Parameters: [{ N: String(to) }, { N: String(from) }, { N: String(was) }] });
  await db.send(new ExecuteTransactionCommand({ TransactStatements: [link(a, b, c), link(c, d, b), link(b, c, d)] }));
}
