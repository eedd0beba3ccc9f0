// Scenario 2 end to end: an Inventory stream (NEW_AND_OLD_IMAGES) keeps a search index table in sync
// through a trigger — once with a TypeScript handler in a worker thread, once with a Python handler
// using boto3 through the Runtime API (skipped, with the reason printed, where no python3 has boto3).
// Neither handler names an endpoint. Their timeouts are generous: this is not a test of timeouts.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateTableCommand, DeleteItemCommand, PutItemCommand, ScanCommand, UpdateItemCommand, type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { ListStreamsCommand } from '@aws-sdk/client-dynamodb-streams';
import { startServerProcess, type ServerProcess, localOnly } from '../helpers/server-process.js';
import { onDemandTable } from '../helpers/tables.js';
import { fixturesDir, noBoto3, pythonWithBoto3, writeProject } from '../helpers/trigger-project.js';
import { until } from '../helpers/until.js';

interface IndexEntry {
  readonly productId: string;
  readonly name: string;
  readonly stock: string;
  readonly inStock: boolean;
  readonly indexedBy: string;
}

async function index(client: DynamoDBClient, table: string): Promise<IndexEntry[]> {
  const items = (await client.send(new ScanCommand({ TableName: table, ConsistentRead: true }))).Items ?? [];
  return items
    .map((i) => ({ productId: i['productId']?.S ?? '', name: i['name']?.S ?? '', stock: i['stock']?.N ?? '', inStock: i['inStock']?.BOOL ?? false, indexedBy: i['indexedBy']?.S ?? '' }))
    .sort((a, b) => a.productId.localeCompare(b.productId));
}

const expected = (by: string): IndexEntry[] => [
  { productId: 'p-1', name: 'Lamp', stock: '0', inStock: false, indexedBy: by },
  { productId: 'p-2', name: 'Desk', stock: '4', inStock: true, indexedBy: by },
];

describe('scenario 2: stream-driven search sync', localOnly, () => {
  let server: ServerProcess;
  let client: DynamoDBClient;
  const python = pythonWithBoto3();

  before(async () => {
    const project = writeProject({
      triggers: [
        { name: 'search-sync-ts', table: 'Inventory', handler: `${fixturesDir}inventory-search-sync.ts#handler`, startingPosition: 'TRIM_HORIZON', batchSize: 10, timeoutSeconds: 120 },
        ...(python === undefined ? [] : [{
          name: 'search-sync-py', table: 'Inventory', runtime: 'python3', handler: `${fixturesDir}inventory_search_sync.py#handler`,
          startingPosition: 'TRIM_HORIZON', batchSize: 10, timeoutSeconds: 120, environment: { SEARCH_INDEX_TABLE: 'InventorySearchPy' },
        }]),
      ],
    });
    server = await startServerProcess({ args: ['--config', project.configFile, '--python', python ?? 'python3'] });
    client = server.client();
    await client.send(new CreateTableCommand(onDemandTable('InventorySearch', ['productId', 'S'])));
    await client.send(new CreateTableCommand(onDemandTable('InventorySearchPy', ['productId', 'S'])));
    await client.send(new CreateTableCommand({
      ...onDemandTable('Inventory', ['productId', 'S']),
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
    }));
  });
  after(() => server.dispose());

  it('indexes new products, marks stock 1 → 0 out of stock, removes deleted ones (TypeScript handler)', async () => {
    const put = (id: string, name: string, stock: number) =>
      client.send(new PutItemCommand({ TableName: 'Inventory', Item: { productId: { S: id }, name: { S: name }, stock: { N: String(stock) } } }));
    await put('p-1', 'Lamp', 1);
    await put('p-2', 'Desk', 4);
    await put('p-3', 'Chair', 2);
    await client.send(new UpdateItemCommand({
      TableName: 'Inventory', Key: { productId: { S: 'p-1' } }, UpdateExpression: 'SET stock = stock - :one', ExpressionAttributeValues: { ':one': { N: '1' } },
    }));
    await client.send(new DeleteItemCommand({ TableName: 'Inventory', Key: { productId: { S: 'p-3' } } }));
    // A product deleted after its index document was never written: deleting a missing document is fine.
    await put('p-4', 'Shelf', 3);
    await client.send(new DeleteItemCommand({ TableName: 'Inventory', Key: { productId: { S: 'p-4' } } }));

    // Every change handled (7 records each), then the index is exactly the table's current products.
    await until(async () => {
      const body = (await (await fetch(`${server.endpoint}/stratusdb/triggers`)).json()) as { triggers: { recordsDelivered: number }[] };
      return body.triggers.every((t) => t.recordsDelivered === 7);
    }, 'every trigger caught up');
    assert.deepEqual(await index(client, 'InventorySearch'), expected('search-sync-ts'));
    // The handler saw the 1 → 0 transition in MODIFY's OldImage/NewImage and logged it, tagged.
    assert.match(server.output(), /\[trigger search-sync-ts\] product p-1 is now out of stock/);
    assert.doesNotMatch(server.output(), /invocation failed/);
  });

  it('does the same with a Python handler using boto3', { skip: python === undefined ? noBoto3 : false }, async () => {
    await until(async () => {
      const body = (await (await fetch(`${server.endpoint}/stratusdb/triggers`)).json()) as { triggers: { recordsDelivered: number }[] };
      return body.triggers.every((t) => t.recordsDelivered === 7);
    }, 'both triggers caught up');
    assert.deepEqual(await index(client, 'InventorySearchPy'), expected('search-sync-py'));
    await until(async () => server.output().includes('[trigger search-sync-py] product p-1 is now out of stock'), 'python log line');
    assert.doesNotMatch(server.output(), /invocation failed/);
  });

  it('lists both triggers with their counters on the status endpoint', async () => {
    await until(async () => {
      const body = (await (await fetch(`${server.endpoint}/stratusdb/triggers`)).json()) as { triggers: { recordsDelivered: number }[] };
      return body.triggers.every((t) => t.recordsDelivered === 7);
    }, 'both triggers caught up');
    const body = (await (await fetch(`${server.endpoint}/stratusdb/triggers`)).json()) as { triggers: Record<string, unknown>[] };
    const streamArn = (await server.streamsClient().send(new ListStreamsCommand({ TableName: 'Inventory' }))).Streams?.[0]?.StreamArn;
    assert.equal(body.triggers.length, python === undefined ? 1 : 2);
    for (const t of body.triggers) {
      assert.equal(t['state'], 'Enabled');
      assert.equal(t['table'], 'Inventory');
      assert.equal(t['region'], 'us-east-1');
      assert.equal(t['streamArn'], streamArn);
      assert.equal(t['iteratorAgeMs'], 0);
      assert.equal(t['lastProcessingResult'], 'OK');
      assert.equal(t['errors'], 0);
      assert.equal(t['recordsDelivered'], 7);
      assert.equal(t['recordsDiscarded'], 0);
    }
    assert.deepEqual(body.triggers.map((t) => t['name']), python === undefined ? ['search-sync-ts'] : ['search-sync-ts', 'search-sync-py']);
  });
});
