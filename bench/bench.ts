// YCSB-style benchmark: PutItem and GetItem of 1 KB items at concurrency 1, 32 and 128 over keep-alive
// connections with SigV4-signed requests, against StratusDB (durable, and in memory), the null server
// (the ceiling on this machine), with --baseline PATH another build of StratusDB (its
// bin/stratusdb.mjs, e.g. the last release) and with --compare dynalite, dynalite — in alternating
// rounds so drift hits all alike. Each round also reads the server's CPU time from /proc: CPU µs per
// operation is what a request costs the server, whatever the load generator can push.
// Conditional PutItem and an ADD UpdateItem at concurrency 32 measure what expressions cost.
// PutItemStream is PutItem into a table with a NEW_AND_OLD_IMAGES stream (what a stream costs);
// --stream-latency times a write until a polling GetRecords consumer has it.
// --console times the web console in headless Chromium: first load, a 100,000-item table's items page, a stream record into the live view.
// --triggers times a write until a trigger's handler runs, and a trigger's cost to write throughput.
// --data postgres://… runs StratusDB on that PostgreSQL as well (each start in a schema of its own),
// beside LMDB in the same rounds, and reports PostgreSQL's own CPU per operation too.
// --raw loads with pre-signed requests on raw sockets (raw-load.ts): a client that costs far less,
// for the server's own CPU per operation.
//   npm run bench [-- --compare dynalite] [--raw] [--baseline ../old/dist/bin/stratusdb.mjs] [--duration-ms 3000] [--warmup-ms 1000] [--paired N [--memory]] [--rounds 3] [--data postgres://…] [--startup] [--rss] [--ycsb] [--backfill] [--pitr] [--replication] [--strong] [--capacity] [--auth] [--stream-latency] [--console] [--triggers] [--only GetItem,SelectByKey]
import { readFileSync } from 'node:fs';
import { Client, waitActive } from './client.js';
import { rawLoad, rawRequests, type LoadRun } from './raw-load.js';
import { cpuMicros, postgresCpuMicros, startTarget, commandFor, useBaseline, usePostgres, type Target, type TargetName } from './targets.js';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

interface Args {
  ycsb: boolean;
  backfill: boolean;
  pitr: boolean;
  replication: boolean;
  strong: boolean;
  capacity: boolean;
  auth: boolean;
  streamLatency: boolean;
  console: boolean;
  triggers: boolean;
  records: number;
  compare: TargetName[];
  /** Another build's bin/stratusdb.mjs to measure beside this one. */
  baseline: string | undefined;
  durationMs: number;
  rounds: number;
  startup: boolean;
  rss: boolean;
  rssItems: number;
  /** Only these throughput workloads (by name), when given. */
  only: string[];
  /** Load with pre-signed requests on raw sockets (raw-load.ts) instead of node:http and per-request signing. */
  raw: boolean;
  /** Unmeasured load on each new target before its first measured workload, so JIT warm-up is not measured. */
  warmupMs: number;
  /** This many pairs of windows, StratusDB then the baseline (or the other way round), per workload. */
  paired: number;
  /** --paired: StratusDB in memory (memory://) instead of on LMDB. */
  memory: boolean;
  /** --data postgres://…: StratusDB on this PostgreSQL database as well (target stratusdb-postgres). */
  data: string | undefined;
}

function parseArgs(argv: readonly string[]): Args {
  const args: Args = { ycsb: false, backfill: false, pitr: false, replication: false, strong: false, capacity: false, auth: false, streamLatency: false, console: false, triggers: false, records: 100_000, compare: [], baseline: undefined, durationMs: 3000, rounds: 3, startup: false, rss: false, rssItems: 100_000, only: [], raw: false, warmupMs: 1000, paired: 0, memory: false, data: undefined };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (flag === '--compare') args.compare.push(argv[++i] as TargetName);
    else if (flag === '--baseline') args.baseline = argv[++i];
    else if (flag === '--duration-ms') args.durationMs = Number(argv[++i]);
    else if (flag === '--rounds') args.rounds = Number(argv[++i]);
    else if (flag === '--startup') args.startup = true;
    else if (flag === '--rss') args.rss = true;
    else if (flag === '--rss-items') args.rssItems = Number(argv[++i]);
    else if (flag === '--ycsb') args.ycsb = true;
    else if (flag === '--backfill') args.backfill = true;
    else if (flag === '--pitr') args.pitr = true;
    else if (flag === '--replication') args.replication = true;
    else if (flag === '--strong') args.strong = true;
    else if (flag === '--capacity') args.capacity = true;
    else if (flag === '--auth') args.auth = true;
    else if (flag === '--stream-latency') args.streamLatency = true;
    else if (flag === '--console') args.console = true;
    else if (flag === '--triggers') args.triggers = true;
    else if (flag === '--records') args.records = Number(argv[++i]);
    else if (flag === '--raw') args.raw = true;
    else if (flag === '--warmup-ms') args.warmupMs = Number(argv[++i]);
    else if (flag === '--paired') args.paired = Number(argv[++i]);
    else if (flag === '--memory') args.memory = true;
    else if (flag === '--data') args.data = argv[++i];
    else if (flag === '--only') args.only.push(...(argv[++i] ?? '').split(','));
    else throw new Error(`unknown flag ${flag}`);
  }
  const unknown = args.only.filter((w) => !(w in requestFor));
  if (unknown.length > 0) throw new Error(`unknown workload ${unknown.join(', ')} in --only (the workloads: ${Object.keys(requestFor).join(', ')})`);
  return args;
}

const tableName = 'BenchTable';
const itemBytes = 1000;
const preloadedKeys = 1000;
const payload = 'x'.repeat(itemBytes);

const putBody = (n: number): string => JSON.stringify({ TableName: tableName, Item: { pk: { S: `key${n}` }, data: { S: payload } } });
/** A conditional put whose condition always holds, so every request does the full work. */
const conditionalPutBody = (n: number): string => JSON.stringify({
  TableName: tableName, Item: { pk: { S: `key${n}` }, data: { S: payload } },
  ConditionExpression: 'attribute_not_exists(pk) OR size(#d) > :zero', ExpressionAttributeNames: { '#d': 'data' }, ExpressionAttributeValues: { ':zero': { N: '0' } },
});
/** A counter increment on a 1 KB item. */
const addBody = (n: number): string => JSON.stringify({
  TableName: tableName, Key: { pk: { S: `key${n}` } }, UpdateExpression: 'ADD #c :one', ExpressionAttributeNames: { '#c': 'clicks' }, ExpressionAttributeValues: { ':one': { N: '1' } },
});

/** Query of one of 100 partitions holding 10 items of 1 KB each. */
const rangeTable = 'BenchRange';
const rangePartitions = 100;
const queryBody = (n: number): string => JSON.stringify({
  TableName: rangeTable, KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: `part${n % rangePartitions}` } },
});

/** A GSI Query of 10 items of 1 KB: the same 100 groups as Query10, through an index projecting ALL. */
const gsiQueryBody = (n: number): string => JSON.stringify({
  TableName: rangeTable, IndexName: 'byGroup', KeyConditionExpression: 'grp = :g', ExpressionAttributeValues: { ':g': { S: `group${n % rangePartitions}` } },
});

/** A put of a 1 KB item into a table with 2 GSIs (ALL and KEYS_ONLY) and 1 LSI (KEYS_ONLY). */
const indexedTable = 'BenchIndexed';
const indexedPutBody = (n: number): string => JSON.stringify({
  TableName: indexedTable,
  Item: { pk: { S: `key${n}` }, sk: { N: '0' }, g1: { S: `g${n % 100}` }, g2: { S: `h${n % 50}` }, ls: { N: String(n) }, data: { S: payload } },
});

/** A transaction putting two 1 KB items (keys apart from the PutItem workload's). */
const transactWriteBody = (n: number): string => JSON.stringify({
  TransactItems: [0, 1].map((j) => ({ Put: { TableName: tableName, Item: { pk: { S: `tx${2 * n + j}` }, data: { S: payload } } } })),
});

/** The PutItem workload's items, into a table whose stream keeps NEW_AND_OLD_IMAGES. */
const streamTable = 'BenchStream';
const streamPutBody = (n: number): string => JSON.stringify({ TableName: streamTable, Item: { pk: { S: `key${n}` }, data: { S: payload } } });

type Workload = 'PutItem' | 'PutItemStream' | 'GetItem' | 'SelectByKey' | 'ConditionalPutItem' | 'UpdateItemAdd' | 'Query10' | 'PutItemIndexed' | 'QueryGsi10' | 'TransactWrite2';
const requestFor: Readonly<Record<Workload, { operation: string; body: (n: number) => string }>> = {
  PutItem: { operation: 'PutItem', body: putBody },
  PutItemStream: { operation: 'PutItem', body: streamPutBody },
  GetItem: { operation: 'GetItem', body: (n) => getBody(n) },
  // PartiQL's single-item read: the same item as GetItem, by a parameterised SELECT.
  SelectByKey: { operation: 'ExecuteStatement', body: (n) => JSON.stringify({ Statement: `SELECT * FROM "${tableName}" WHERE pk = ?`, Parameters: [{ S: `key${n}` }] }) },
  ConditionalPutItem: { operation: 'PutItem', body: conditionalPutBody },
  UpdateItemAdd: { operation: 'UpdateItem', body: addBody },
  Query10: { operation: 'Query', body: queryBody },
  PutItemIndexed: { operation: 'PutItem', body: indexedPutBody },
  QueryGsi10: { operation: 'Query', body: gsiQueryBody },
  TransactWrite2: { operation: 'TransactWriteItems', body: transactWriteBody },
};
const getBody = (n: number): string => JSON.stringify({ TableName: tableName, Key: { pk: { S: `key${n}` } } });

async function prepare(target: Target): Promise<void> {
  if (target.name === 'null') return;
  const client = new Client(target.endpoint, 8);
  const created = await client.call('CreateTable', JSON.stringify({
    TableName: tableName, BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
  }));
  if (created.status !== 200) throw new Error(`${target.name} CreateTable: ${created.text}`);
  await waitActive(client, tableName);
  for (let i = 0; i < preloadedKeys; i += 50) {
    await Promise.all(Array.from({ length: 50 }, (_, j) => client.call('PutItem', putBody(i + j))));
  }
  const range = await client.call('CreateTable', JSON.stringify({
    TableName: rangeTable, BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'N' }, { AttributeName: 'grp', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
    GlobalSecondaryIndexes: [{ IndexName: 'byGroup', KeySchema: [{ AttributeName: 'grp', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }], Projection: { ProjectionType: 'ALL' } }],
  }));
  if (range.status !== 200) throw new Error(`${target.name} CreateTable: ${range.text}`);
  await waitActive(client, rangeTable);
  const indexed = await client.call('CreateTable', JSON.stringify({
    TableName: indexedTable, BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: ['pk:S', 'sk:N', 'g1:S', 'g2:S', 'ls:N'].map((d) => ({ AttributeName: d.split(':')[0], AttributeType: d.split(':')[1] })),
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
    GlobalSecondaryIndexes: [
      { IndexName: 'gAll', KeySchema: [{ AttributeName: 'g1', KeyType: 'HASH' }, { AttributeName: 'ls', KeyType: 'RANGE' }], Projection: { ProjectionType: 'ALL' } },
      { IndexName: 'gKeys', KeySchema: [{ AttributeName: 'g2', KeyType: 'HASH' }], Projection: { ProjectionType: 'KEYS_ONLY' } },
    ],
    LocalSecondaryIndexes: [{ IndexName: 'lKeys', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'ls', KeyType: 'RANGE' }], Projection: { ProjectionType: 'KEYS_ONLY' } }],
  }));
  if (indexed.status !== 200) throw new Error(`${target.name} CreateTable: ${indexed.text}`);
  await waitActive(client, indexedTable);
  const streamed = await client.call('CreateTable', JSON.stringify({
    TableName: streamTable, BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
  }));
  if (streamed.status !== 200) throw new Error(`${target.name} CreateTable: ${streamed.text}`);
  await waitActive(client, streamTable);
  for (let p = 0; p < rangePartitions; p++) {
    const requests = Array.from({ length: 10 }, (_, i) => ({ PutRequest: { Item: { pk: { S: `part${p}` }, sk: { N: String(i) }, grp: { S: `group${p}` }, data: { S: payload } } } }));
    const res = await client.call('BatchWriteItem', JSON.stringify({ RequestItems: { [rangeTable]: requests } }));
    if (res.status !== 200) throw new Error(`${target.name} BatchWriteItem: ${res.text}`);
  }
  client.close();
}

interface Result {
  readonly opsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** Server CPU time (user + system) per operation, µs. */
  readonly cpuUsPerOp: number;
  /** The postgres target: PostgreSQL's CPU time per operation (all its processes), µs; 0 for the others. */
  readonly dbCpuUsPerOp: number;
}

/** A target started, its tables prepared, and warmed up: writes and reads until its hot paths are compiled, nothing of it reported. */
async function startReady(name: TargetName, port: number, args: Args): Promise<Target> {
  const target = await startTarget(name, port);
  await prepare(target);
  for (const warm of ['PutItem', 'GetItem'] as const) await measure(target, warm, 32, args.warmupMs / 2, args.raw);
  return target;
}

/** One workload on one target: throughput, latency, and the server's CPU per operation. */
async function measure(target: Target, workload: Workload, concurrency: number, durationMs: number, raw: boolean): Promise<Result> {
  const { operation, body: bodyFor } = requestFor[workload];
  // Transactions take keys in turn, so that none in flight share an item: on a store several processes
  // share, transactions that meet are cancelled with TransactionConflict, as on DynamoDB.
  let next = 0;
  const pick = workload === 'TransactWrite2' ? (): number => next++ % preloadedKeys : (): number => Math.floor(Math.random() * preloadedKeys);
  // --raw: every request signed and laid out as bytes before the clock starts.
  const requests = raw ? rawRequests(target.endpoint, operation, Array.from({ length: preloadedKeys }, (_, n) => bodyFor(n))) : undefined;
  const pid = target.child.pid as number;
  const started = performance.now();
  const cpuBefore = cpuMicros(pid);
  const onPostgres = target.name === 'stratusdb-postgres';
  const dbBefore = onPostgres ? postgresCpuMicros() : 0;
  const { latencies, failures } = requests === undefined
    ? await httpLoad(target.endpoint, operation, bodyFor, concurrency, durationMs, pick)
    : await rawLoad(target.endpoint, requests, concurrency, durationMs, pick);
  const elapsed = performance.now() - started;
  const cpuUsed = cpuMicros(pid) - cpuBefore;
  const dbUsed = onPostgres ? postgresCpuMicros() - dbBefore : 0;
  if (failures > 0) throw new Error(`${target.name} ${workload}: ${failures} failed requests`);
  return { ...summarize(latencies, elapsed, cpuUsed), dbCpuUsPerOp: dbUsed / Math.max(1, latencies.length) };
}

/** Load through node:http, each request signed as it is sent (what an SDK costs its client). */
async function httpLoad(endpoint: string, operation: string, bodyFor: (n: number) => string, concurrency: number, durationMs: number, pick: () => number): Promise<LoadRun> {
  const client = new Client(endpoint, concurrency);
  const latencies: number[] = [];
  const deadline = performance.now() + durationMs;
  let failures = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (performance.now() < deadline) {
      const body = bodyFor(pick());
      const t0 = performance.now();
      const res = await client.call(operation, body);
      latencies.push(performance.now() - t0);
      if (res.status !== 200) failures++;
    }
  }));
  client.close();
  return { latencies, failures };
}

function summarize(latencies: number[], elapsed: number, cpuUsed: number): Omit<Result, 'dbCpuUsPerOp'> {
  latencies.sort((a, b) => a - b);
  const at = (q: number): number => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return { opsPerSecond: (latencies.length / elapsed) * 1000, p50Ms: at(0.5), p99Ms: at(0.99), cpuUsPerOp: cpuUsed / Math.max(1, latencies.length) };
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
};

async function throughput(args: Args): Promise<void> {
  const names: TargetName[] = [
    'stratusdb', 'stratusdb-memory', 'null', ...(args.data === undefined ? [] : ['stratusdb-postgres' as const]), ...(args.baseline === undefined ? [] : ['baseline' as const]), ...args.compare,
  ];
  const all: { operation: Workload; concurrency: number }[] = [
    { operation: 'PutItem', concurrency: 1 }, { operation: 'PutItem', concurrency: 32 }, { operation: 'PutItem', concurrency: 128 }, { operation: 'PutItemStream', concurrency: 32 },
    { operation: 'GetItem', concurrency: 1 }, { operation: 'GetItem', concurrency: 32 }, { operation: 'GetItem', concurrency: 128 }, { operation: 'SelectByKey', concurrency: 32 },
    { operation: 'ConditionalPutItem', concurrency: 32 }, { operation: 'UpdateItemAdd', concurrency: 32 },
    { operation: 'Query10', concurrency: 1 }, { operation: 'Query10', concurrency: 32 },
    { operation: 'PutItemIndexed', concurrency: 32 }, { operation: 'QueryGsi10', concurrency: 32 },
    { operation: 'TransactWrite2', concurrency: 32 },
  ];
  const workloads = args.only.length === 0 ? all : all.filter((w) => args.only.includes(w.operation));
  const results = new Map<string, Result[]>();
  let port = 18_100;
  for (let round = 1; round <= args.rounds; round++) {
    // Every target is up for the whole round and the workloads alternate between them, so a slow
    // stretch of the machine falls on all targets alike rather than on one of them.
    const targets: Target[] = [];
    try {
      for (const name of names) {
        targets.push(await startReady(name, port++, args));
      }
      for (const w of workloads) {
        for (const target of targets) {
          const r = await measure(target, w.operation, w.concurrency, args.durationMs, args.raw);
          const key = `${target.name} ${w.operation} c=${w.concurrency}`;
          results.set(key, [...(results.get(key) ?? []), r]);
          process.stderr.write(`round ${round} ${key}: ${r.opsPerSecond.toFixed(0)} ops/s p50 ${r.p50Ms.toFixed(3)} ms p99 ${r.p99Ms.toFixed(3)} ms, server CPU ${r.cpuUsPerOp.toFixed(1)} µs/op${target.name === 'stratusdb-postgres' ? `, PostgreSQL CPU ${r.dbCpuUsPerOp.toFixed(1)} µs/op` : ''}\n`);
        }
      }
    } finally {
      for (const target of targets) await target.stop();
    }
  }
  const summary = (name: string, w: (typeof workloads)[number]): Result => {
    const rs = results.get(`${name} ${w.operation} c=${w.concurrency}`) ?? [];
    return {
      opsPerSecond: median(rs.map((r) => r.opsPerSecond)), p50Ms: median(rs.map((r) => r.p50Ms)), p99Ms: median(rs.map((r) => r.p99Ms)),
      cpuUsPerOp: median(rs.map((r) => r.cpuUsPerOp)), dbCpuUsPerOp: median(rs.map((r) => r.dbCpuUsPerOp)),
    };
  };
  console.log(`\nmedian of ${args.rounds} alternating rounds, ${args.durationMs} ms each, 1 KB items, SigV4, keep-alive${args.raw ? ', pre-signed requests on raw sockets (--raw)' : ''}\n`);
  console.log('| target | operation | concurrency | ops/s | p50 ms | p99 ms | server CPU µs/op | PostgreSQL CPU µs/op |');
  console.log('|---|---|---|---|---|---|---|---|');
  for (const name of names) {
    for (const w of workloads) {
      const s = summary(name, w);
      const db = name === 'stratusdb-postgres' ? s.dbCpuUsPerOp.toFixed(1) : '';
      console.log(`| ${name} | ${w.operation} | ${w.concurrency} | ${s.opsPerSecond.toFixed(0)} | ${s.p50Ms.toFixed(3)} | ${s.p99Ms.toFixed(3)} | ${s.cpuUsPerOp.toFixed(1)} | ${db} |`);
    }
  }
  const others = names.filter((n) => n !== 'stratusdb');
  console.log('\n| workload (ops/s ratio) | ' + others.map((c) => `stratusdb / ${c}`).join(' | ') + ' |');
  console.log('|---|' + others.map(() => '---|').join(''));
  for (const w of workloads) {
    const ours = summary('stratusdb', w).opsPerSecond;
    console.log(`| ${w.operation} c=${w.concurrency} | ${others.map((c) => (ours / summary(c, w).opsPerSecond).toFixed(2)).join(' | ')} |`);
  }
}

/**
 * --paired N: StratusDB and the baseline run side by side, and each workload alternates N pairs of
 * windows between them (which goes first alternates too). The median of the per-pair ratios cancels
 * the slow drifts of a shared machine that medians taken per target do not.
 */
async function paired(args: Args, targetName: TargetName, baselineName: TargetName): Promise<void> {
  const workloads = (args.only.length === 0 ? ['PutItem', 'GetItem'] : args.only) as Workload[];
  const targets: Target[] = [];
  try {
    let port = 18_700;
    for (const name of [targetName, baselineName]) targets.push(await startReady(name, port++, args));
    const [ours, theirs] = targets as [Target, Target];
    console.log(`\n${targetName} against the baseline: median of ${args.paired} paired windows of ${args.durationMs} ms, concurrency 32${args.raw ? ', --raw' : ''}\n`);
    console.log('| workload | CPU µs/op (ours / baseline) | CPU ratio | ops/s ratio |\n|---|---|---|---|');
    for (const workload of workloads) {
      const cpu: number[] = [];
      const ops: number[] = [];
      const ourCpu: number[] = [];
      const theirCpu: number[] = [];
      for (let i = 0; i < args.paired; i++) {
        const order = i % 2 === 0 ? [ours, theirs] : [theirs, ours];
        const [first, second] = [await measure(order[0] as Target, workload, 32, args.durationMs, args.raw), await measure(order[1] as Target, workload, 32, args.durationMs, args.raw)];
        const [a, b] = i % 2 === 0 ? [first, second] : [second, first];
        cpu.push(a.cpuUsPerOp / b.cpuUsPerOp);
        ops.push(a.opsPerSecond / b.opsPerSecond);
        ourCpu.push(a.cpuUsPerOp);
        theirCpu.push(b.cpuUsPerOp);
      }
      console.log(`| ${workload} | ${median(ourCpu).toFixed(1)} / ${median(theirCpu).toFixed(1)} | ${median(cpu).toFixed(3)} | ${median(ops).toFixed(3)} |`);
    }
  } finally {
    for (const target of targets) await target.stop();
  }
}

/** Time from spawning the process to its first successful answer. */
async function startupTimes(): Promise<void> {
  const samples = 7;
  let port = 18_900;
  console.log('\n| target | start → first answer, median of 7 (ms) |\n|---|---|');
  const medians = new Map<string, number>();
  for (const name of ['null', 'stratusdb'] as const) {
    const times: number[] = [];
    for (let i = 0; i < samples; i++) {
      const dataDir = mkdtempSync(join(tmpdir(), 'stratusdb-start-'));
      const p = port++;
      const t0 = performance.now();
      const child = spawn(process.execPath, commandFor(name, p, dataDir), { stdio: 'ignore' });
      await firstSuccess(`http://127.0.0.1:${p}`);
      times.push(performance.now() - t0);
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
      rmSync(dataDir, { recursive: true, force: true });
    }
    medians.set(name, median(times));
    console.log(`| ${name} | ${median(times).toFixed(1)} |`);
  }
  console.log(`\nstratusdb / null start time: ${((medians.get('stratusdb') ?? 0) / (medians.get('null') ?? 1)).toFixed(2)}`);
}

/** Polls a signed ListTables until it succeeds (HTTP 200): the first request a client can use. */
async function firstSuccess(endpoint: string): Promise<void> {
  const client = new Client(endpoint, 1);
  for (;;) {
    const res = await client.call('ListTables', '{}').catch(() => undefined);
    if (res?.status === 200) break;
    await new Promise((r) => setTimeout(r, 1));
  }
  client.close();
}

async function residentMemory(items: number): Promise<void> {
  const target = await startTarget('stratusdb', 18_999);
  try {
    await prepare(target);
    const client = new Client(target.endpoint, 32);
    let next = 0;
    await Promise.all(Array.from({ length: 32 }, async () => {
      while (next < items) {
        const n = next++;
        const res = await client.call('PutItem', putBody(n));
        if (res.status !== 200) throw new Error(res.text);
      }
    }));
    client.close();
    const status = readFileSync(`/proc/${target.child.pid}/status`, 'utf8');
    const mb = (field: string): string => (Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0) / 1024).toFixed(1);
    // RssFile is LMDB's memory map of the data file: page cache the kernel reclaims under pressure.
    console.log(`\nstratusdb after ${items} PutItem of 1 KB items: RSS ${mb('VmRSS')} MB = ${mb('RssAnon')} MB process memory (RssAnon) + ${mb('RssFile')} MB mapped data file (RssFile)`);
  } finally {
    await target.stop();
  }
}

const args = parseArgs(process.argv.slice(2));
if (args.baseline !== undefined) useBaseline(args.baseline);
if (args.data !== undefined) usePostgres(args.data);
if (args.ycsb) await (await import('./ycsb.js')).runYcsb(['stratusdb', ...(args.baseline === undefined ? [] : ['baseline' as const]), ...args.compare], args.records, args.durationMs);
else if (args.backfill) await (await import('./backfill.js')).runBackfill(args.records);
else if (args.pitr) await (await import('./pitr-bench.js')).runPitrBench(args.records, args.data);
else if (args.replication) await (await import('./replication-bench.js')).runReplicationBench(args.durationMs, args.rounds);
else if (args.strong) await (await import('./replication-bench.js')).runStrongBench(args.durationMs);
else if (args.capacity) await (await import('./capacity-bench.js')).runCapacityBench(args.durationMs, args.rounds);
else if (args.auth) await (await import('./auth-bench.js')).runAuthBench(args.durationMs, args.rounds);
else if (args.streamLatency) await (await import('./stream-latency.js')).runStreamLatency(args.durationMs, args.data);
else if (args.console) await (await import('./console-bench.js')).runConsoleBench(args.rounds, args.records);
else if (args.triggers) await (await import('./trigger-bench.js')).runTriggerBench(args.durationMs, args.rounds);
else if (args.startup) await startupTimes();
else if (args.rss) await residentMemory(args.rssItems);
else if (args.paired > 0) {
  if (args.baseline === undefined) throw new Error('--paired needs --baseline <another build>');
  await paired(args, args.memory ? 'stratusdb-memory' : 'stratusdb', args.memory ? 'baseline-memory' : 'baseline');
} else await throughput(args);
