// How long a GSI added to a live table takes to build: load N items of 1 KB (each with the new
// index's key), UpdateTable Create, and time until the index is ACTIVE.
//   npm run bench -- --backfill [--records 100000]
import { Client, waitActive } from './client.js';
import { startTarget } from './targets.js';

const table = 'BackfillTable';
const payload = 'b'.repeat(1000);
const batchSize = 25;
const loadConcurrency = 8;

export async function runBackfill(records: number): Promise<void> {
  const target = await startTarget('stratusdb', 18_700);
  try {
    const client = new Client(target.endpoint, loadConcurrency);
    await client.call('CreateTable', JSON.stringify({
      TableName: table, BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    }));
    await waitActive(client, table);
    let next = 0;
    await Promise.all(Array.from({ length: loadConcurrency }, async () => {
      while (next < records) {
        const from = next;
        next = Math.min(records, next + batchSize);
        const requests = Array.from({ length: next - from }, (_, j) => ({
          PutRequest: { Item: { id: { S: `item${from + j}` }, group: { S: `g${(from + j) % 1000}` }, data: { S: payload } } },
        }));
        const res = await client.call('BatchWriteItem', JSON.stringify({ RequestItems: { [table]: requests } }));
        if (res.status !== 200) throw new Error(`load: ${res.text}`);
      }
    }));
    const started = performance.now();
    const res = await client.call('UpdateTable', JSON.stringify({
      TableName: table, AttributeDefinitions: [{ AttributeName: 'group', AttributeType: 'S' }],
      GlobalSecondaryIndexUpdates: [{ Create: { IndexName: 'byGroup', KeySchema: [{ AttributeName: 'group', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } } }],
    }));
    if (res.status !== 200) throw new Error(`UpdateTable: ${res.text}`);
    for (;;) {
      const described = await client.call('DescribeTable', JSON.stringify({ TableName: table }));
      const index = (JSON.parse(described.text) as { Table: { GlobalSecondaryIndexes: { IndexStatus: string; ItemCount: number }[] } }).Table.GlobalSecondaryIndexes[0];
      if (index?.IndexStatus === 'ACTIVE') {
        const seconds = (performance.now() - started) / 1000;
        console.log(`\nGSI backfill (projection ALL) of ${records} items of 1 KB: ${seconds.toFixed(2)} s, ${(records / seconds).toFixed(0)} items/s; index ItemCount ${index.ItemCount}`);
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    client.close();
  } finally {
    await target.stop();
  }
}
