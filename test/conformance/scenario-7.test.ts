// Scenario 7 of SCENARIOS.md, capacity and throttling, through the SDKs against one server that
// enforces capacity with a clock a minute a second (--enforce-capacity --clock-speed 60): an on-demand
// table takes a spike unthrottled; switched by mistake to PROVISIONED at 5 units, the same load is
// throttled (ProvisionedThroughputExceededException, the incident of the lesson) once the burst is
// spent, while the SDK's retry strategy carries a retrying client through; auto scaling registered on
// the table raises its write capacity under the sustained load; the consumed capacity is in GET
// /metrics and the cost of each table in GET /stratusdb/cost.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ApplicationAutoScalingClient, PutScalingPolicyCommand, RegisterScalableTargetCommand } from '@aws-sdk/client-application-auto-scaling';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, PutItemCommand, UpdateTableCommand } from '@aws-sdk/client-dynamodb';
import { localOnly, startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { until } from '../helpers/until.js';
import type { TableCost } from '../../src/engine/cost-meter.js';

describe('scenario 7: capacity and throttling', localOnly, () => {
  let server: ServerProcess;
  let db: DynamoDBClient;
  const credentials = { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' };
  // 40 KB orders: 40 write units each (a spike of them outruns any refill a loaded machine allows); 4 KB ones: 4.
  const item = (n: number, kb = 40) => ({ pk: { S: `order-${n % 200}` }, body: { S: 'o'.repeat(kb * 1024 - 100) } });
  before(async () => {
    server = await startServerProcess({ args: ['--enforce-capacity', '--clock-speed', '60'] });
    db = server.client('us-east-1');
  });
  after(async () => {
    await server.dispose();
  });

  it('on-demand takes the spike; provisioned by mistake throttles it; the SDK\'s retries and auto scaling get through; capacity and cost are visible', async () => {
    await db.send(new CreateTableCommand({
      TableName: 'Orders', BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    }));
    // A spike of 150 writes (6,000 units) at once: on-demand throttles none of it.
    await Promise.all(Array.from({ length: 150 }, (_, n) => db.send(new PutItemCommand({ TableName: 'Orders', Item: item(n) }))));
    // The mistake: PROVISIONED at 5 units. 300 s of them (1,500 units) is the burst; a spike of 24,000 units spends it.
    await db.send(new UpdateTableCommand({ TableName: 'Orders', BillingMode: 'PROVISIONED', ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 } }));
    const outcomes = await Promise.allSettled(Array.from({ length: 600 }, (_, n) => db.send(new PutItemCommand({ TableName: 'Orders', Item: item(n) }))));
    const throttled = outcomes.filter((o) => o.status === 'rejected' && (o.reason as Error).name === 'ProvisionedThroughputExceededException').length;
    assert.ok(throttled > 0, 'the spike was throttled');
    assert.equal(outcomes.filter((o) => o.status === 'rejected').length, throttled, 'nothing but throttling failed');
    // Requests admitted at once can take the bucket well below zero (each is charged once it ran): once
    // it is above zero again, a client with the SDK's retry strategy writes 800 units at 5 a second of
    // the clock, throttled on the way and retried until each gets through.
    await until(async () => db.send(new PutItemCommand({ TableName: 'Orders', Item: item(0, 4) })).then(() => true, (error: Error) => {
      if (error.name !== 'ProvisionedThroughputExceededException') throw error;
      return false;
    }), 'the capacity refilled past zero');
    const retrying = new DynamoDBClient({ endpoint: server.endpoint, region: 'us-east-1', credentials, maxAttempts: 10 });
    for (let n = 0; n < 20; n++) await retrying.send(new PutItemCommand({ TableName: 'Orders', Item: item(n) }));
    retrying.destroy();
    // Auto scaling: a sustained load raises the write capacity.
    const scaling = new ApplicationAutoScalingClient({ endpoint: server.endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
    const target = { ServiceNamespace: 'dynamodb' as const, ResourceId: 'table/Orders', ScalableDimension: 'dynamodb:table:WriteCapacityUnits' as const };
    await scaling.send(new RegisterScalableTargetCommand({ ...target, MinCapacity: 5, MaxCapacity: 1000 }));
    await scaling.send(new PutScalingPolicyCommand({
      ...target, PolicyName: 'orders-writes', PolicyType: 'TargetTrackingScaling',
      TargetTrackingScalingPolicyConfiguration: { TargetValue: 70, PredefinedMetricSpecification: { PredefinedMetricType: 'DynamoDBWriteCapacityUtilization' } },
    }));
    scaling.destroy();
    let n = 0;
    await until(async () => {
      await Promise.allSettled(Array.from({ length: 10 }, () => db.send(new PutItemCommand({ TableName: 'Orders', Item: item(n++, 4) }))));
      return ((await db.send(new DescribeTableCommand({ TableName: 'Orders' }))).Table?.ProvisionedThroughput?.WriteCapacityUnits ?? 0) > 5;
    }, 'auto scaling raising the write capacity');
    // Consumed capacity and cost, per table.
    const metrics = await (await fetch(`${server.endpoint}/metrics`)).text();
    const consumed = Number(/\ndynamodb_ConsumedWriteCapacityUnits\{Region="us-east-1",TableName="Orders"\} (\d+)/.exec(metrics)?.[1]);
    assert.ok(consumed >= 150 * 40 + 20 * 40, `consumed ${consumed} write units`);
    const cost = ((await (await fetch(`${server.endpoint}/stratusdb/cost`)).json()) as { tables: TableCost[] }).tables.find((t) => t.table === 'Orders');
    assert.equal(cost?.billingMode, 'PROVISIONED');
    assert.ok((cost?.monthly ?? 0) > 0);
    console.log(`# scenario 7: ${throttled} of 600 writes throttled at 5 WCU; auto scaling raised it after ${n} more writes; ${consumed} write units consumed; a month at this capacity: $${cost?.monthly.toFixed(2)}`);
  });
});
