// Global tables: replication lag and the cost of replicas on writes.
//  1. Lag: a table in us-east-1 with a replica in eu-west-1; PutItem of 1 KB items paced at 1,000 a
//     second for the run; the replica's server's own measure of each change's latency (from its stamp
//     at the origin to its commit in the replica, GET /stratusdb/metrics) as p50 and p99.
//  2. Throughput: 32 clients of PutItem (1 KB) on a table without replicas, then on one with a
//     replica, `rounds` times in turn; items/s of each and their ratio.
// Both in one server process, then with each region served by its own process (--peer).
//   npm run bench -- --replication [--duration-ms 3000] [--rounds 3]
import { Client, waitActive } from './client.js';
import { startTarget } from './targets.js';
import type { LinkStatus } from '../src/engine/replication/replicator.js';

const payload = 'r'.repeat(1000);


async function linksOf(endpoint: string): Promise<LinkStatus[]> {
  return ((await (await fetch(`${endpoint}/stratusdb/metrics`)).json()) as { replication: LinkStatus[] }).replication;
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

async function cut(endpoint: string, on: boolean): Promise<void> {
  await fetch(`${endpoint}/stratusdb/regions`, { method: 'POST', body: JSON.stringify({ region: 'eu-west-1', outage: on }) });
}

/**
 * Lag at 1,000 writes/s into `eastEndpoint`'s us-east-1 table, from the link `replicaEndpoint` runs
 * (`rounds` tables, one after another); then PutItem throughput without a replica, with one, and with
 * one cut off (the origin's own cost: its writes are logged and stamped, none applied meanwhile).
 */
async function measure(eastEndpoint: string, replicaEndpoint: string, where: string, durationMs: number, rounds: number): Promise<void> {
  const east = new Client(eastEndpoint, 64);
  console.log(`\nReplication lag, ${where}: PutItem of 1 KB paced at 1,000/s in us-east-1 for ${durationMs} ms, replicated to eu-west-1; a new table each round`);
  console.log('| round | changes applied | latency p50 ms | latency p99 ms | PutItem acknowledged p50 ms | p99 ms |\n|---|---|---|---|---|---|');
  for (let round = 0; round < rounds; round++) {
    const table = `Paced${round}`;
    await createTable(east, table, 'eu-west-1');
    const acks = (await pacedWrites(east, table, 1000, durationMs)).sort((a, b) => a - b);
    await drained(replicaEndpoint);
    const link = (await linksOf(replicaEndpoint)).find((l) => l.table === table && l.from === 'us-east-1');
    const at = (q: number): string => (acks[Math.min(acks.length - 1, Math.floor(q * acks.length))] ?? 0).toFixed(1);
    console.log(`| ${round + 1} | ${link?.applied} | ${link?.latencyP50Ms} | ${link?.latencyP99Ms} | ${at(0.5)} | ${at(0.99)} |`);
  }

  await createTable(east, 'Plain', undefined);
  await createTable(east, 'Replicated', 'eu-west-1');
  const plain: number[] = [];
  const replicated: number[] = [];
  const origin: number[] = [];
  for (let round = 0; round < rounds; round++) {
    plain.push(await putThroughput(east, 'Plain', durationMs, round));
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
  console.log('| table | items/s per round | median items/s | / no replicas |\n|---|---|---|---|');
  const row = (label: string, values: number[]): string => `| ${label} | ${values.map((v) => v.toFixed(0)).join(', ')} | ${median(values).toFixed(0)} | ${(median(values) / median(plain)).toFixed(3)} |`;
  console.log(row('no replicas', plain));
  console.log(row('a replica in eu-west-1, applying on this machine', replicated));
  console.log(row('a replica in eu-west-1, cut off (the origin\'s own cost)', origin));
}

export async function runReplicationBench(durationMs: number, rounds: number): Promise<void> {
  const one = await startTarget('stratusdb', 18_830);
  try {
    await measure(one.endpoint, one.endpoint, 'one process, LMDB (both regions served by it: the replica\'s writes share its 2 cores and disk)', durationMs, rounds);
  } finally {
    await one.stop();
  }
  const key = ['--replication-key', 'bench'];
  const east = await startTarget('stratusdb', 18_840, ['--peer', 'eu-west-1=http://127.0.0.1:18841', ...key]);
  const west = await startTarget('stratusdb', 18_841, ['--peer', 'us-east-1=http://127.0.0.1:18840', ...key]);
  try {
    await measure(east.endpoint, west.endpoint, 'two processes (--peer), LMDB, on this machine', durationMs, rounds);
  } finally {
    await east.stop();
    await west.stop();
  }
}
