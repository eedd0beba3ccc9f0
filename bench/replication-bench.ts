// Global tables: replication lag and the cost of replicas on writes.
//  1. Lag: a table in us-east-1 with a replica in eu-west-1; PutItem of 1 KB items paced at 1,000 a
//     second for the run; the replica's server's own measure of each change's latency (from its stamp
//     at the origin to its commit in the replica, GET /stratusdb/metrics) as p50 and p99, per round
//     after an unreported first one, and the median of the rounds' p99.
//  2. Throughput: 32 clients of PutItem (1 KB) on a table without replicas (without a stream, and
//     with the NEW_AND_OLD_IMAGES stream a global table has), then on one with two replicas, `rounds`
//     times in turn; items/s of each and their ratios.
// Both in one server process, then with each region served by its own process (--peer).
// Multi-region strong consistency (--strong): PutItem and strongly consistent GetItem latency of one
// client on a table of three regions, against a regional table, in one process and in three.
//   npm run bench -- --replication [--duration-ms 3000] [--rounds 3]
//   npm run bench -- --strong [--duration-ms 3000]
import { Client, waitActive } from './client.js';
import { startTarget } from './targets.js';
import type { LinkStatus } from '../src/engine/replication/replicator.js';

const payload = 'r'.repeat(1000);


async function linksOf(endpoint: string): Promise<LinkStatus[]> {
  return ((await (await fetch(`${endpoint}/stratusdb/metrics`)).json()) as { replication: LinkStatus[] }).replication;
}

async function createTable(client: Client, table: string, replicas: readonly string[], stream = false): Promise<void> {
  await client.call('CreateTable', JSON.stringify({
    TableName: table, BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    ...(stream ? { StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' } } : {}),
  }));
  await waitActive(client, table);
  // One replica per call, as DynamoDB takes them.
  for (const replica of replicas) {
    const res = await client.call('UpdateTable', JSON.stringify({ TableName: table, ReplicaUpdates: [{ Create: { RegionName: replica } }] }));
    if (res.status !== 200) throw new Error(res.text);
    await settled(client, table);
  }
}

/** Waits until the table and every replica it lists are ACTIVE. */
async function settled(client: Client, table: string): Promise<void> {
  for (;;) {
    const d = await client.call('DescribeTable', JSON.stringify({ TableName: table }));
    if (d.text.includes('"TableStatus":"ACTIVE"') && !d.text.includes('"CREATING"')) return;
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function drained(endpoint: string): Promise<void> {
  while ((await linksOf(endpoint)).some((l) => l.pending > 0)) await new Promise((r) => setTimeout(r, 20));
}

/** PutItem paced at `perSecond` for `durationMs` (in steps of 10 ms); resolves to each write's acknowledgement time (ms). */
async function pacedWrites(client: Client, table: string, perSecond: number, durationMs: number): Promise<number[]> {
  const start = performance.now();
  const perStep = perSecond / 100;
  let sent = 0;
  const acks: number[] = [];
  const inFlight = new Set<Promise<void>>();
  for (let step = 0; step * 10 < durationMs; step++) {
    const due = start + step * 10;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    for (let i = 0; i < perStep; i++) {
      const n = sent++;
      const sentAt = performance.now();
      const call = client.call('PutItem', JSON.stringify({ TableName: table, Item: { pk: { S: `paced${n}` }, data: { S: payload } } })).then((res) => {
        if (res.status !== 200) throw new Error(res.text);
        acks.push(performance.now() - sentAt);
      });
      inFlight.add(call);
      void call.finally(() => inFlight.delete(call));
    }
  }
  await Promise.all(inFlight);
  return acks;
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

/** The regions of the replicas the throughput table has. */
const replicaRegions = ['eu-west-1', 'ap-southeast-1'];

async function cut(endpoint: string, on: boolean): Promise<void> {
  for (const region of replicaRegions) await fetch(`${endpoint}/stratusdb/regions`, { method: 'POST', body: JSON.stringify({ region, outage: on }) });
}

/**
 * Lag at 1,000 writes/s into `eastEndpoint`'s us-east-1 table, from the link `replicaEndpoint` runs
 * (`rounds` tables, one after another); then PutItem throughput without a replica, with one, and with
 * one cut off (the origin's own cost: its writes are logged and stamped, none applied meanwhile).
 */
async function measure(eastEndpoint: string, replicaEndpoint: string, where: string, durationMs: number, rounds: number): Promise<void> {
  const east = new Client(eastEndpoint, 64);
  console.log(`\nReplication lag, ${where}: PutItem of 1 KB paced at 1,000/s in us-east-1 for ${durationMs} ms, replicated to eu-west-1; a new table each round, after one unreported round (the first replica and the compiler's warm-up)`);
  console.log('| round | changes applied | latency p50 ms | latency p99 ms | PutItem acknowledged p50 ms | p99 ms |\n|---|---|---|---|---|---|');
  const p99s: number[] = [];
  for (let round = 0; round <= rounds; round++) {
    const table = `Paced${round}`;
    await createTable(east, table, ['eu-west-1']);
    const acks = (await pacedWrites(east, table, 1000, durationMs)).sort((a, b) => a - b);
    await drained(replicaEndpoint);
    if (round === 0) continue;
    const link = (await linksOf(replicaEndpoint)).find((l) => l.table === table && l.from === 'us-east-1');
    const at = (q: number): string => (acks[Math.min(acks.length - 1, Math.floor(q * acks.length))] ?? 0).toFixed(1);
    if (link?.latencyP99Ms !== undefined) p99s.push(link.latencyP99Ms);
    console.log(`| ${round} | ${link?.applied} | ${link?.latencyP50Ms} | ${link?.latencyP99Ms} | ${at(0.5)} | ${at(0.99)} |`);
  }
  console.log(`Median of the rounds' latency p99: ${[...p99s].sort((a, b) => a - b)[Math.floor(p99s.length / 2)]} ms`);

  await createTable(east, 'Plain', []);
  await createTable(east, 'Streamed', [], true);
  await createTable(east, 'Replicated', replicaRegions);
  const plain: number[] = [];
  const streamed: number[] = [];
  const replicated: number[] = [];
  const origin: number[] = [];
  for (let round = 0; round < rounds; round++) {
    plain.push(await putThroughput(east, 'Plain', durationMs, round));
    streamed.push(await putThroughput(east, 'Streamed', durationMs, round));
    replicated.push(await putThroughput(east, 'Replicated', durationMs, round));
    await cut(eastEndpoint, true);
    await cut(replicaEndpoint, true);
    origin.push(await putThroughput(east, 'Replicated', durationMs, round + rounds));
    await cut(eastEndpoint, false);
    await cut(replicaEndpoint, false);
    await drained(replicaEndpoint);
  }
  east.close();
  const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
  console.log(`\nPutItem throughput in us-east-1, 32 clients, 1 KB items, ${rounds} rounds of ${durationMs} ms each in turn (${where})`);
  console.log('| table | items/s per round | median items/s | / no replicas, no stream | / no replicas, its stream |\n|---|---|---|---|---|');
  const row = (label: string, values: number[]): string => `| ${label} | ${values.map((v) => v.toFixed(0)).join(', ')} | ${median(values).toFixed(0)} | ${(median(values) / median(plain)).toFixed(3)} | ${(median(values) / median(streamed)).toFixed(3)} |`;
  console.log(row('no replicas, no stream', plain));
  console.log(row('no replicas, stream NEW_AND_OLD_IMAGES (what a global table has)', streamed));
  console.log(row('two replicas (eu-west-1, ap-southeast-1), applying on this machine', replicated));
  console.log(row('two replicas, cut off (the origin\'s own cost)', origin));
}

export async function runReplicationBench(durationMs: number, rounds: number): Promise<void> {
  const one = await startTarget('stratusdb', 18_830);
  try {
    await measure(one.endpoint, one.endpoint, 'one process, LMDB (both regions served by it: the replica\'s writes share its 2 cores and disk)', durationMs, rounds);
  } finally {
    await one.stop();
  }
  const key = ['--replication-key', 'bench'];
  // The second process serves both replicas' regions.
  const east = await startTarget('stratusdb', 18_840, ['--peer', 'eu-west-1=http://127.0.0.1:18841', '--peer', 'ap-southeast-1=http://127.0.0.1:18841', ...key]);
  const west = await startTarget('stratusdb', 18_841, ['--peer', 'us-east-1=http://127.0.0.1:18840', ...key]);
  try {
    await measure(east.endpoint, west.endpoint, 'two processes (--peer), LMDB, on this machine', durationMs, rounds);
  } finally {
    await east.stop();
    await west.stop();
  }
}

/** Sequential calls of one client for `durationMs`; each one's time (ms), sorted. */
async function latencies(client: Client, durationMs: number, call: (n: number) => [string, string]): Promise<number[]> {
  const out: number[] = [];
  const deadline = performance.now() + durationMs;
  for (let n = 0; performance.now() < deadline; n++) {
    const [operation, body] = call(n);
    const sentAt = performance.now();
    const res = await client.call(operation, body);
    if (res.status !== 200) throw new Error(res.text);
    out.push(performance.now() - sentAt);
  }
  return out.sort((a, b) => a - b);
}

/**
 * Multi-region strong consistency: one client's PutItem (1 KB) and strongly consistent GetItem, one
 * after another, on a table of three regions (us-east-1, us-west-2, eu-west-1) and on a regional
 * table in the same run; p50 and p99 of each.
 */
async function measureStrong(endpoints: ReadonlyMap<string, string>, where: string, durationMs: number): Promise<void> {
  const east = new Client(endpoints.get('us-east-1') as string, 4);
  await createTable(east, 'Regional', []);
  await createTable(east, 'Strong', []);
  const res = await east.call('UpdateTable', JSON.stringify({ TableName: 'Strong', MultiRegionConsistency: 'STRONG', ReplicaUpdates: [{ Create: { RegionName: 'us-west-2' } }, { Create: { RegionName: 'eu-west-1' } }] }));
  if (res.status !== 200) throw new Error(res.text);
  for (const [region, endpoint] of endpoints) {
    const client = new Client(endpoint, 1, region);
    await settled(client, 'Strong');
    client.close();
  }
  console.log(`\nMulti-region strong consistency, ${where}: one client in us-east-1, calls one after another for ${durationMs} ms each`);
  console.log('| call | table | calls | p50 ms | p99 ms |\n|---|---|---|---|---|');
  for (const table of ['Regional', 'Strong']) {
    const put = await latencies(east, durationMs, (n) => ['PutItem', JSON.stringify({ TableName: table, Item: { pk: { S: `k${n % 1000}` }, data: { S: payload } } })]);
    const get = await latencies(east, durationMs, (n) => ['GetItem', JSON.stringify({ TableName: table, Key: { pk: { S: `k${n % 1000}` } }, ConsistentRead: true })]);
    const at = (values: number[], q: number): string => (values[Math.min(values.length - 1, Math.floor(q * values.length))] ?? 0).toFixed(2);
    const label = table === 'Strong' ? 'STRONG, three regions' : 'regional';
    console.log(`| PutItem | ${label} | ${put.length} | ${at(put, 0.5)} | ${at(put, 0.99)} |`);
    console.log(`| GetItem ConsistentRead | ${label} | ${get.length} | ${at(get, 0.5)} | ${at(get, 0.99)} |`);
  }
  east.close();
}

export async function runStrongBench(durationMs: number): Promise<void> {
  const one = await startTarget('stratusdb', 18_850);
  try {
    await measureStrong(new Map([['us-east-1', one.endpoint], ['us-west-2', one.endpoint], ['eu-west-1', one.endpoint]]), 'one process, LMDB (three regions served by it)', durationMs);
  } finally {
    await one.stop();
  }
  const regions = ['us-east-1', 'us-west-2', 'eu-west-1'];
  const ports = [18_860, 18_861, 18_862];
  const servers = await Promise.all(regions.map((region, i) => startTarget('stratusdb', ports[i] as number, [
    '--replication-key', 'bench', ...regions.flatMap((other, j) => (j === i ? [] : ['--peer', `${other}=http://127.0.0.1:${ports[j]}`])),
  ])));
  try {
    await measureStrong(new Map(regions.map((region, i) => [region, (servers[i] as { endpoint: string }).endpoint])), 'three processes (--peer), LMDB, on this machine', durationMs);
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
  }
}
