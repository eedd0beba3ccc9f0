// The cost meter through a real server process with a clock an hour a second (--clock-speed 3600)
// and one price of its own (--prices): GET /stratusdb/cost and `stratusdb cost` show an on-demand
// table's request units — exactly what the SDK was told it consumed — priced per million, a
// provisioned table's capacity-hours priced per hour, and each a month ahead at the current rate.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { CreateTableCommand, GetItemCommand, PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { localOnly, startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { tempDir } from '../helpers/temp-dirs.js';
import { until } from '../helpers/until.js';
import type { Prices, TableCost } from '../../src/engine/cost-meter.js';

const run = promisify(execFile);
const cli = new URL('../../bin/stratusdb.mjs', import.meta.url).pathname;

describe('the cost meter', localOnly, () => {
  let server: ServerProcess;
  let db: DynamoDBClient;
  const report = async (): Promise<{ prices: Prices; tables: TableCost[] }> => (await fetch(`${server.endpoint}/stratusdb/cost`)).json() as Promise<{ prices: Prices; tables: TableCost[] }>;
  before(async () => {
    const prices = join(tempDir('stratusdb-prices'), 'prices.json');
    writeFileSync(prices, JSON.stringify({ writeRequestUnitsPerMillion: 1.25 }));
    server = await startServerProcess({ args: ['--clock-speed', '3600', '--prices', prices] });
    db = server.client('us-east-1');
  });
  after(async () => {
    await server.dispose();
  });

  it('prices on-demand request units and provisioned capacity-hours, so far and a month ahead', async () => {
    const key = { AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' as const }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' as const }] };
    await db.send(new CreateTableCommand({ TableName: 'OnDemand', BillingMode: 'PAY_PER_REQUEST', ...key }));
    await db.send(new CreateTableCommand({ TableName: 'Provisioned', BillingMode: 'PROVISIONED', ProvisionedThroughput: { ReadCapacityUnits: 10, WriteCapacityUnits: 5 }, ...key }));
    let writes = 0;
    let reads = 0;
    for (let n = 0; n < 40; n++) {
      // 2 KB items: 2 write units each; read back strongly: 1 read unit each.
      writes += (await db.send(new PutItemCommand({ TableName: 'OnDemand', Item: { pk: { S: `k${n}` }, data: { S: 'c'.repeat(2000) } }, ReturnConsumedCapacity: 'TOTAL' }))).ConsumedCapacity?.CapacityUnits ?? 0;
      reads += (await db.send(new GetItemCommand({ TableName: 'OnDemand', Key: { pk: { S: `k${n}` } }, ConsistentRead: true, ReturnConsumedCapacity: 'TOTAL' }))).ConsumedCapacity?.CapacityUnits ?? 0;
    }
    assert.deepEqual([writes, reads], [80, 40]);
    // A simulated hour a second: wait until the provisioned table has been held for two hours.
    await until(async () => ((await report()).tables.find((t) => t.table === 'Provisioned')?.hours ?? 0) >= 2, 'two hours of the clock counted');
    const { prices, tables } = await report();
    assert.deepEqual(prices, { readRequestUnitsPerMillion: 0.125, writeRequestUnitsPerMillion: 1.25, readCapacityUnitHour: 0.00013, writeCapacityUnitHour: 0.00065, storageGbMonth: 0.25 });
    const onDemand = tables.find((t) => t.table === 'OnDemand') as TableCost;
    assert.deepEqual([onDemand.billingMode, onDemand.readUnits, onDemand.writeUnits], ['PAY_PER_REQUEST', 40, 80]);
    assert.equal(onDemand.cost.reads, (40 / 1e6) * 0.125);
    assert.equal(onDemand.cost.writes, (80 / 1e6) * 1.25);
    const provisioned = tables.find((t) => t.table === 'Provisioned') as TableCost;
    // Capacity-hours are the capacity times the hours counted; a month is 730 hours of it (and an empty table's storage).
    assert.ok(Math.abs(provisioned.readCapacityUnitHours - 10 * provisioned.hours) < 1e-6 && Math.abs(provisioned.writeCapacityUnitHours - 5 * provisioned.hours) < 1e-6);
    assert.ok(Math.abs(provisioned.cost.reads - provisioned.readCapacityUnitHours * 0.00013) < 1e-12);
    assert.ok(Math.abs(provisioned.monthly - 730 * (10 * 0.00013 + 5 * 0.00065)) < 1e-9);
    const { stdout } = await run(process.execPath, [cli, 'cost', '--endpoint', server.endpoint]);
    assert.match(stdout, /^table\s+region\s+billing\s+reads\s+writes\s+storage GB-months\s+so far\s+a month\n/);
    assert.match(stdout, /\nOnDemand\s+us-east-1\s+on-demand\s+40 RRU\s+80 WRU\s/);
    assert.match(stdout, /\nProvisioned\s+us-east-1\s+provisioned\s+[\d.]+ RCU-h\s+[\d.]+ WCU-h\s+[\d.]+\s+\$[\d.]+\s+\$3\.32\n/);
  });
});
