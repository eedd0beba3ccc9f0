// Global tables: replication lag and the cost of replicas on writes.
//  1. Lag: a table in us-east-1 with a replica in eu-west-1 (one server process); PutItem of 1 KB items
//     paced at 1,000 a second for the run; the server's own measure of each change's latency (from
//     its stamp at the origin to its commit in the replica, GET /stratusdb/metrics) as p50 and p99.
//  2. Throughput: 32 clients of PutItem (1 KB) on a table without replicas, then on one with a
//     replica, `rounds` times in turn; items/s of each and their ratio.
//   npm run bench -- --replication [--duration-ms 3000] [--rounds 3]
import { Client, waitActive } from './client.js';
import { startTarget } from './targets.js';

const payload = 'r'.repeat(1000);

interface LinkMetrics {
  readonly table: string;
  readonly from: string;
  readonly to: string;
  readonly pending: number;
  readonly applied: number;
  readonly latencyP50Ms?: number;
  readonly latencyP99Ms?: number;
}

async function linksOf(endpoint: string): Promise<LinkMetrics[]> {
  return ((await (await fetch(`${endpoint}/stratusdb/metrics`)).json()) as { replication: LinkMetrics[] }).replication;
}

async function createTable(client: Client, table: string, replica: string | undefined): Promise<void> {
  await client.call('CreateTable', JSON.stringify({
    TableName: table, BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
  }));
  await waitActive(client, table);
  if (replica === undefined) return;
  const res = await client.call('UpdateTable', JSON.stringify({ TableName: table, ReplicaUpdates: [{ Create: { RegionName: replica } }] }));
  if (res.status !== 200) throw new Error(res.text);
  for (;;) {
    const d = await client.call('DescribeTable', JSON.stringify({ TableName: table }));
    if (d.text.includes('"TableStatus":"ACTIVE"') && !d.text.includes('"CREATING"')) return;
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function drained(endpoint: string): Promise<void> {
  while ((await linksOf(endpoint)).some((l) => l.pending > 0)) await new Promise((r) => setTimeout(r, 20));
}

/** PutItem paced at `perSecond` for `durationMs` (in steps of 10 ms); resolves to the writes made. */
async function pacedWrites(client: Client, table: string, perSecond: number, durationMs: number): Promise<number> {
  const start = performance.now();
  const perStep = perSecond / 100;
  let sent = 0;
  const inFlight = new Set<Promise<void>>();
  for (let step = 0; step * 10 < durationMs; step++) {
    const due = start + step * 10;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    for (let i = 0; i < perStep; i++) {
      const n = sent++;
      const call = client.call('PutItem', JSON.stringify({ TableName: table, Item: { pk: { S: `paced${n}` }, data: { S: payload } } })).then((res) => {
        if (res.status !== 200) throw new Error(res.text);
      });
      inFlight.add(call);
      void call.finally(() => inFlight.delete(call));
    }
  }
  await Promise.all(inFlight);
  return sent;
}

/** 32 clients of PutItem for `durationMs`; items/s. */
async function putThroughput(client: Client, table: string, durationMs: number, round: number): Promise<number> {
  const deadline = performance.now() + durationMs;
  let done = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: 32 }, async (_, c) => {
    let n = 0;
    while (performance.now() < deadline) {
      const res = await client.call('PutItem', JSON.stringify({ TableName: table, Item: { pk: { S: `r${round}-c${c}-${n++}` }, data: { S: payload } } }));
      if (res.status !== 200) throw new Error(res.text);
      done++;
    }
  }));
  return done / ((performance.now() - started) / 1000);
}

export async function runReplicationBench(durationMs: number, rounds: number): Promise<void> {
  const target = await startTarget('stratusdb', 18_830);
  try {
    const east = new Client(target.endpoint, 64);
    await createTable(east, 'Paced', 'eu-west-1');
    const writes = await pacedWrites(east, 'Paced', 1000, durationMs);
    await drained(target.endpoint);
    const link = (await linksOf(target.endpoint)).find((l) => l.table === 'Paced' && l.from === 'us-east-1');
    console.log(`\nReplication lag, one process (LMDB): ${writes} PutItem of 1 KB paced at 1,000/s in us-east-1, replicated to eu-west-1`);
    console.log('| link | changes applied | latency p50 ms | latency p99 ms |\n|---|---|---|---|');
    console.log(`| us-east-1 → eu-west-1 | ${link?.applied} | ${link?.latencyP50Ms} | ${link?.latencyP99Ms} |`);

    await createTable(east, 'Plain', undefined);
    await createTable(east, 'Replicated', 'eu-west-1');
    const plain: number[] = [];
    const replicated: number[] = [];
    for (let round = 0; round < rounds; round++) {
      plain.push(await putThroughput(east, 'Plain', durationMs, round));
      replicated.push(await putThroughput(east, 'Replicated', durationMs, round));
    }
    await drained(target.endpoint);
    east.close();
    const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
    console.log(`\nPutItem throughput, 32 clients, 1 KB items, ${rounds} rounds of ${durationMs} ms in turn (one process, LMDB)`);
    console.log('| table | items/s per round | median items/s |\n|---|---|---|');
    console.log(`| no replicas | ${plain.map((v) => v.toFixed(0)).join(', ')} | ${median(plain).toFixed(0)} |`);
    console.log(`| a replica in eu-west-1 | ${replicated.map((v) => v.toFixed(0)).join(', ')} | ${median(replicated).toFixed(0)} |`);
    console.log(`with a replica / without: ${(median(replicated) / median(plain)).toFixed(3)}`);
  } finally {
    await target.stop();
  }
}
