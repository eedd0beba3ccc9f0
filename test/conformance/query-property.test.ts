// Property: for random key conditions, directions and page sizes, Query (paged to the end) returns
// exactly the items a brute-force filter of the partition returns, in sort-key order.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { BatchWriteItemCommand, CreateTableCommand, QueryCommand, type AttributeValue, type DynamoDBClient, type QueryCommandInput } from '@aws-sdk/client-dynamodb';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { onDemandTable } from '../helpers/tables.js';

type SortType = 'S' | 'N' | 'B';
const partitions = ['p0', 'p1', 'p2'];

function compare(type: SortType, a: AttributeValue, b: AttributeValue): number {
  if (type === 'N') return Number(a.N) - Number(b.N);
  const bytes = (v: AttributeValue): Buffer => (type === 'S' ? Buffer.from(v.S as string, 'utf8') : Buffer.from(v.B as Uint8Array));
  return Buffer.compare(bytes(a), bytes(b));
}

const sortValue: Record<SortType, fc.Arbitrary<AttributeValue>> = {
  S: fc.string({ minLength: 1, maxLength: 4, unit: fc.constantFrom('a', 'b', 'c', 'é', 'Z', '0', '#') }).map((S) => ({ S })),
  N: fc.integer({ min: -50, max: 50 }).map((n) => ({ N: String(n / 4) })),
  B: fc.uint8Array({ minLength: 1, maxLength: 3 }).map((B) => ({ B })),
};

describe('Query against brute force (fast-check)', () => {
  let server: ServerProcess;
  let db: DynamoDBClient;
  const stored: Record<SortType, { pk: string; sk: AttributeValue }[]> = { S: [], N: [], B: [] };

  before(async () => {
    server = await startServerProcess();
    db = server.client();
    for (const type of ['S', 'N', 'B'] as const) {
      await db.send(new CreateTableCommand(onDemandTable(`Prop${type}`, ['pk', 'S'], ['sk', type])));
      const values = fc.sample(fc.uniqueArray(sortValue[type], { minLength: 40, maxLength: 40, selector: (v) => JSON.stringify(v.S ?? v.N ?? Buffer.from(v.B ?? []).toString('hex')) }), { numRuns: 1, seed: 7 })[0] ?? [];
      const unique = values.filter((v, i) => values.findIndex((w) => compare(type, v, w) === 0) === i);
      const items = unique.map((sk, i) => ({ pk: partitions[i % partitions.length] as string, sk }));
      stored[type] = items;
      for (let i = 0; i < items.length; i += 25) {
        await db.send(new BatchWriteItemCommand({ RequestItems: { [`Prop${type}`]: items.slice(i, i + 25).map((it) => ({ PutRequest: { Item: { pk: { S: it.pk }, sk: it.sk } } })) } }));
      }
    }
  });
  after(async () => server.dispose());

  for (const type of ['S', 'N', 'B'] as const) {
    it(`matches brute force for ${type} sort keys`, { timeout: 120_000 }, async () => {
      assert.ok(stored[type].length >= 30, `only ${stored[type].length} items stored`);
      let nonEmpty = 0;
      const operator = fc.constantFrom('=', '<', '<=', '>', '>=', 'BETWEEN', ...(type === 'N' ? [] : ['begins_with']), 'none');
      await fc.assert(fc.asyncProperty(fc.constantFrom(...partitions), operator, sortValue[type], sortValue[type], fc.integer({ min: 1, max: 12 }), fc.boolean(), async (pk, op, x, y, pageSize, forward) => {
        const [low, high] = compare(type, x, y) <= 0 ? [x, y] : [y, x];
        const values: Record<string, AttributeValue> = { ':p': { S: pk } };
        let condition = 'pk = :p';
        if (op === 'BETWEEN') {
          condition += ' AND sk BETWEEN :x AND :y';
          values[':x'] = low;
          values[':y'] = high;
        } else if (op === 'begins_with') {
          condition += ' AND begins_with(sk, :x)';
          values[':x'] = x;
        } else if (op !== 'none') {
          condition += ` AND sk ${op} :x`;
          values[':x'] = x;
        }
        const matches = (sk: AttributeValue): boolean => {
          const c = compare(type, sk, x);
          switch (op) {
            case '=': return c === 0;
            case '<': return c < 0;
            case '<=': return c <= 0;
            case '>': return c > 0;
            case '>=': return c >= 0;
            case 'BETWEEN': return compare(type, sk, low) >= 0 && compare(type, sk, high) <= 0;
            case 'begins_with': {
              const bytes = (v: AttributeValue): Buffer => (type === 'S' ? Buffer.from(v.S as string, 'utf8') : Buffer.from(v.B as Uint8Array));
              return bytes(sk).subarray(0, bytes(x).length).equals(bytes(x));
            }
            default: return true;
          }
        };
        const expected = stored[type].filter((it) => it.pk === pk && matches(it.sk)).map((it) => it.sk).sort((a, b) => compare(type, a, b));
        if (!forward) expected.reverse();
        const got: AttributeValue[] = [];
        let start: QueryCommandInput['ExclusiveStartKey'];
        do {
          const page = await db.send(new QueryCommand({ TableName: `Prop${type}`, KeyConditionExpression: condition, ExpressionAttributeValues: values, Limit: pageSize, ScanIndexForward: forward, ...(start ? { ExclusiveStartKey: start } : {}) }));
          got.push(...(page.Items ?? []).map((i) => i['sk'] as AttributeValue));
          start = page.LastEvaluatedKey;
        } while (start !== undefined);
        assert.deepEqual(got.map((v) => JSON.stringify(v)), expected.map((v) => JSON.stringify(v)), condition);
        if (got.length > 1) nonEmpty++;
      }), { numRuns: 60 });
      assert.ok(nonEmpty > 10, `only ${nonEmpty} runs returned several items`);
    });
  }
});
