// A register workload for linearizability checks (test/helpers/linearizability.ts): clients put,
// delete and strongly read (GetItem, or a Query of the key) items of a small key set, chosen by a
// seeded random; each operation is recorded with its start and end in the order the test saw events.
// A write the server refused with ReplicatedWriteConflictException did not happen; one answered 503
// has an unknown outcome; a read answered 503 is left out.
import assert from 'node:assert/strict';
import { DeleteItemCommand, GetItemCommand, PutItemCommand, QueryCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { linearizable, type RegisterOp } from './linearizability.js';

export interface RegisterClient {
  readonly region: string;
  readonly db: DynamoDBClient;
}

export class RegisterWorkload {
  readonly history: Map<string, RegisterOp[]>;
  readonly counts = { writes: 0, reads: 0, refused: 0 };
  private clock = 0;

  /** `table` has a string partition key `id`; the value is kept in `v`. */
  constructor(private readonly table: string, private readonly keys: readonly string[], private readonly random: () => number) {
    this.history = new Map(keys.map((k) => [k, []]));
  }

  /** Each client makes `rounds` operations, one after another, all clients at once. */
  async run(rounds: number, clients: readonly RegisterClient[]): Promise<void> {
    await Promise.all(clients.map(async ({ region, db }) => {
      for (let n = 0; n < rounds; n++) await this.one(region, db);
    }));
  }

  assertLinearizable(): void {
    for (const [key, ops] of this.history) assert.ok(linearizable(ops), `the history of ${key} is linearizable: ${JSON.stringify(ops)}`);
    assert.ok(this.counts.writes > 0 && this.counts.reads > 0);
  }

  private async one(region: string, db: DynamoDBClient): Promise<void> {
    const key = this.keys[Math.floor(this.random() * this.keys.length)] as string;
    const ops = this.history.get(key) as RegisterOp[];
    const start = this.clock++;
    const choice = this.random();
    const TableName = this.table;
    if (choice < 0.5) {
      // A put of a value of its own, or (one in five) a delete: a write of "no item".
      const value = choice < 0.4 ? `${region}-${start}` : undefined;
      try {
        if (value === undefined) await db.send(new DeleteItemCommand({ TableName, Key: { id: { S: key } } }));
        else await db.send(new PutItemCommand({ TableName, Item: { id: { S: key }, v: { S: value } } }));
        ops.push({ kind: 'write', value, start, end: this.clock++ });
        this.counts.writes++;
      } catch (error) {
        const name = (error as Error).name;
        if (name === 'ReplicatedWriteConflictException') this.counts.refused++; // refused before anything was written
        else if (name === 'ServiceUnavailable') ops.push({ kind: 'write', value, start, end: Infinity, maybe: true }); // outcome unknown
        else throw error;
      }
      return;
    }
    try {
      // A GetItem, or a Query of the item's key (the other way a strongly consistent read is served).
      const item = choice < 0.75
        ? (await db.send(new GetItemCommand({ TableName, Key: { id: { S: key } }, ConsistentRead: true }))).Item
        : (await db.send(new QueryCommand({ TableName, KeyConditionExpression: 'id = :k', ExpressionAttributeValues: { ':k': { S: key } }, ConsistentRead: true }))).Items?.[0];
      ops.push({ kind: 'read', value: item?.['v']?.S, start, end: this.clock++ });
      this.counts.reads++;
    } catch (error) {
      if ((error as Error).name !== 'ServiceUnavailable') throw error;
      this.counts.refused++;
    }
  }
}
