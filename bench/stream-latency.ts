// Write → visible to a consumer: one client writes 1 KB items one after another while a consumer
// polls GetRecords on the stream's LATEST iterator in a loop (and 8 more clients keep up a PutItem load
// on the same table, so the stream is busy). For each write: the time from sending the PutItem to the
// consumer's GetRecords answer holding its record, and from the write's acknowledgement to that.
// With --data postgres://…, two nodes on that PostgreSQL: the writes go through one, the consumer
// reads through the other (a record committed on one node, visible on another).
//   npm run bench -- --stream-latency [--duration-ms 3000] [--data postgres://…]
import { backgroundPuts, quantile } from './background-load.js';
import { Client, waitActive } from './client.js';
import { startTarget, type Target } from './targets.js';

const table = 'LatencyTable';
const payload = 'l'.repeat(1000);
const streams = 'DynamoDBStreams_20120810';

export async function runStreamLatency(durationMs: number, data?: string): Promise<void> {
  const targets: Target[] = [];
  if (data === undefined) targets.push(await startTarget('stratusdb', 18_800));
  else {
    const shared = new URL(data);
    shared.searchParams.set('schema', `bench_latency_${process.pid}`);
    for (const port of [18_800, 18_801]) targets.push(await startTarget('stratusdb-postgres', port, ['--data', shared.toString()]));
  }
  try {
    const client = new Client((targets[0] as Target).endpoint, 16);
    const reader = new Client((targets[targets.length - 1] as Target).endpoint, 1);
    await client.call('CreateTable', JSON.stringify({
      TableName: table, BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
    }));
    await waitActive(client, table);
    const arn = (JSON.parse((await client.call('DescribeTable', JSON.stringify({ TableName: table }))).text) as { Table: { LatestStreamArn: string } }).Table.LatestStreamArn;
    const shards = (JSON.parse((await client.call(`${streams}.DescribeStream`, JSON.stringify({ StreamArn: arn }))).text) as { StreamDescription: { Shards: { ShardId: string }[] } }).StreamDescription.Shards;
    let iterator = (JSON.parse((await reader.call(`${streams}.GetShardIterator`, JSON.stringify({ StreamArn: arn, ShardId: shards[shards.length - 1]?.ShardId, ShardIteratorType: 'LATEST' }))).text) as { ShardIterator: string }).ShardIterator;

    const sentAt = new Map<string, number>();
    const ackedAt = new Map<string, number>();
    const fromSend: number[] = [];
    const fromAck: number[] = [];
    let stop = false;
    let polls = 0;
    const deadline = performance.now() + durationMs;
    const consumer = (async () => {
      while (!stop || sentAt.size > fromSend.length) {
        const res = await reader.call(`${streams}.GetRecords`, JSON.stringify({ ShardIterator: iterator }));
        const seen = performance.now();
        polls++;
        const page = JSON.parse(res.text) as { Records: { dynamodb: { Keys: { pk: { S: string } } } }[]; NextShardIterator: string };
        for (const record of page.Records) {
          const key = record.dynamodb.Keys.pk.S;
          const sent = sentAt.get(key);
          if (sent === undefined) continue; // background load
          fromSend.push(seen - sent);
          fromAck.push(seen - (ackedAt.get(key) ?? seen));
        }
        iterator = page.NextShardIterator;
        if (stop && performance.now() > deadline + 2000) break;
      }
    })();
    const background = backgroundPuts(client, table, payload, deadline);
    let n = 0;
    while (performance.now() < deadline) {
      const key = `probe${n++}`;
      sentAt.set(key, performance.now());
      const res = await client.call('PutItem', JSON.stringify({ TableName: table, Item: { pk: { S: key }, data: { S: payload } } }));
      if (res.status !== 200) throw new Error(res.text);
      ackedAt.set(key, performance.now());
    }
    await background;
    stop = true;
    await consumer;
    client.close();
    reader.close();
    const at = quantile;
    const where = data === undefined ? 'LMDB' : 'PostgreSQL, written through one node and read through another';
    console.log(`\n${fromSend.length} of ${sentAt.size} probe writes seen by a GetRecords loop (${polls} polls) under 8 clients of PutItem load, NEW_AND_OLD_IMAGES, ${where}`);
    console.log('| measure | p50 ms | p99 ms | max ms |\n|---|---|---|---|');
    console.log(`| PutItem sent → record in a GetRecords answer | ${at(fromSend, 0.5)} | ${at(fromSend, 0.99)} | ${at(fromSend, 1)} |`);
    console.log(`| PutItem acknowledged → record in a GetRecords answer | ${at(fromAck, 0.5)} | ${at(fromAck, 0.99)} | ${at(fromAck, 1)} |`);
  } finally {
    for (const target of targets) await target.stop();
  }
}
