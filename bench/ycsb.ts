// YCSB core workloads A–F against DynamoDB-compatible servers: a BatchWriteItem load phase of
// 1 KB records, then each workload for a fixed time at concurrency 32 with zipfian key choice.
//   npm run bench -- --ycsb [--compare dynalite] [--records 100000] [--duration-ms 3000]
import { Client, waitActive } from './client.js';
import { cpuMicros, startTarget, type TargetName } from './targets.js';

const table = 'usertable';
const fieldBytes = 1000;
const concurrency = 32;
const loadConcurrency = 8;
/** DynamoDB: BatchWriteItem takes at most 25 requests. */
const batchSize = 25;
/** YCSB's default zipfian constant. */
const zipfianTheta = 0.99;
/** YCSB E: a scan reads up to this many records. */
const scanLengthMax = 100;

type Op = 'read' | 'update' | 'insert' | 'scan' | 'rmw' | 'readLatest';
const workloads: Readonly<Record<string, readonly [Op, number][]>> = {
  A: [['read', 0.5], ['update', 0.5]],
  B: [['read', 0.95], ['update', 0.05]],
  C: [['read', 1]],
  D: [['readLatest', 0.95], ['insert', 0.05]],
  E: [['scan', 0.95], ['insert', 0.05]],
  F: [['read', 0.5], ['rmw', 0.5]],
};

/** Gray et al.'s zipfian generator over [0, n), as YCSB uses it (most popular items first). */
class Zipfian {
  private readonly zetan: number;
  private readonly alpha = 1 / (1 - zipfianTheta);
  private readonly eta: number;
  constructor(private readonly n: number) {
    let zeta = 0;
    for (let i = 1; i <= n; i++) zeta += 1 / i ** zipfianTheta;
    this.zetan = zeta;
    const zeta2 = 1 + 1 / 2 ** zipfianTheta;
    this.eta = (1 - (2 / n) ** (1 - zipfianTheta)) / (1 - zeta2 / this.zetan);
  }
  next(): number {
    const u = Math.random();
    const uz = u * this.zetan;
    if (uz < 1) return 0;
    if (uz < 1 + 0.5 ** zipfianTheta) return 1;
    return Math.min(this.n - 1, Math.floor(this.n * (this.eta * u - this.eta + 1) ** this.alpha));
  }
}

/** FNV-style scrambling so popular keys spread over the key space, as YCSB's hashed inserts do. */
function keyOf(i: number): string {
  return `user${(Math.imul(i ^ 0x9e3779b9, 0x85ebca6b) >>> 0).toString().padStart(10, '0')}`;
}

const value = 'v'.repeat(fieldBytes);
const item = (i: number): Record<string, unknown> => ({ id: { S: keyOf(i) }, field0: { S: value } });

/** A phase's rate and the server's CPU per operation (µs, from /proc) while it ran. */
interface PhaseResult {
  readonly rate: number;
  readonly cpuUsPerOp: number;
}

/** Runs a phase that resolves with its operation count, and measures it. */
async function measured(pid: number, phase: () => Promise<number>): Promise<PhaseResult> {
  const cpuBefore = cpuMicros(pid);
  const started = performance.now();
  const ops = await phase();
  const elapsed = performance.now() - started;
  return { rate: (ops / elapsed) * 1000, cpuUsPerOp: (cpuMicros(pid) - cpuBefore) / Math.max(1, ops) };
}

/** Loads `records` items; resolves with the number loaded. */
async function load(client: Client, records: number): Promise<number> {
  let next = 0;
  await Promise.all(Array.from({ length: loadConcurrency }, async () => {
    while (next < records) {
      const from = next;
      next = Math.min(records, next + batchSize);
      const requests = Array.from({ length: next - from }, (_, j) => ({ PutRequest: { Item: item(from + j) } }));
      const res = await client.call('BatchWriteItem', JSON.stringify({ RequestItems: { [table]: requests } }));
      if (res.status !== 200) throw new Error(`load: ${res.text}`);
    }
  }));
  return records;
}

/** Runs one workload for `durationMs`; resolves with the number of operations done. */
async function run(client: Client, records: number, mix: readonly [Op, number][], durationMs: number): Promise<number> {
  const zipf = new Zipfian(records);
  let inserted = records;
  let ops = 0;
  const deadline = performance.now() + durationMs;
  const pick = (): Op => {
    let r = Math.random();
    for (const [op, share] of mix) {
      r -= share;
      if (r <= 0) return op;
    }
    return (mix[mix.length - 1] as [Op, number])[0];
  };
  const call = async (operation: string, body: object): Promise<string> => {
    const res = await client.call(operation, JSON.stringify(body));
    if (res.status !== 200) throw new Error(`${operation}: ${res.text}`);
    return res.text;
  };
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (performance.now() < deadline) {
      const op = pick();
      const key = { id: { S: keyOf(zipf.next()) } };
      switch (op) {
        case 'read':
          await call('GetItem', { TableName: table, Key: key });
          break;
        case 'readLatest':
          await call('GetItem', { TableName: table, Key: { id: { S: keyOf(Math.max(0, inserted - 1 - zipf.next())) } } });
          break;
        case 'update':
          await call('UpdateItem', { TableName: table, Key: key, UpdateExpression: 'SET field0 = :v', ExpressionAttributeValues: { ':v': { S: value } } });
          break;
        case 'insert':
          await call('PutItem', { TableName: table, Item: item(inserted++) });
          break;
        case 'scan':
          await call('Scan', { TableName: table, ExclusiveStartKey: key, Limit: 1 + Math.floor(Math.random() * scanLengthMax) });
          break;
        case 'rmw':
          await call('GetItem', { TableName: table, Key: key });
          await call('UpdateItem', { TableName: table, Key: key, UpdateExpression: 'SET field0 = :v', ExpressionAttributeValues: { ':v': { S: value } } });
          break;
      }
      ops++;
    }
  }));
  return ops;
}

export async function runYcsb(targets: readonly TargetName[], records: number, durationMs: number): Promise<void> {
  const results = new Map<string, PhaseResult>();
  let port = 18_500;
  for (const name of targets) {
    const target = await startTarget(name, port++);
    try {
      const client = new Client(target.endpoint, concurrency);
      await client.call('CreateTable', JSON.stringify({
        TableName: table, BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      }));
      await waitActive(client, table);
      const pid = target.child.pid as number;
      const loaded = await measured(pid, () => load(client, records));
      results.set(`${name} load`, loaded);
      process.stderr.write(`${name} load: ${loaded.rate.toFixed(0)} items/s, server CPU ${loaded.cpuUsPerOp.toFixed(1)} µs/item\n`);
      for (const [letter, mix] of Object.entries(workloads)) {
        const result = await measured(pid, () => run(client, records, mix, durationMs));
        results.set(`${name} ${letter}`, result);
        process.stderr.write(`${name} YCSB ${letter}: ${result.rate.toFixed(0)} ops/s, server CPU ${result.cpuUsPerOp.toFixed(1)} µs/op\n`);
      }
      client.close();
    } finally {
      await target.stop();
    }
  }
  const phases = ['load', ...Object.keys(workloads)];
  console.log(`\nYCSB, ${records} records of 1 KB, zipfian, concurrency ${concurrency} (load: BatchWriteItem ×${loadConcurrency}), ${durationMs} ms per workload\n`);
  console.log(`| phase | ${targets.map((t) => `${t} (server CPU µs/op)`).join(' | ')} |${targets.length > 1 ? ` ${targets[0]} / ${targets[1]} |` : ''}`);
  console.log(`|---|${targets.map(() => '---|').join('')}${targets.length > 1 ? '---|' : ''}`);
  for (const phase of phases) {
    const measuredPhase = targets.map((t) => results.get(`${t} ${phase}`) ?? { rate: 0, cpuUsPerOp: 0 });
    const ratio = measuredPhase.length > 1 ? ` ${((measuredPhase[0]?.rate ?? 0) / (measuredPhase[1]?.rate ?? 1)).toFixed(2)} |` : '';
    console.log(`| ${phase === 'load' ? 'load (items/s)' : `${phase} (ops/s)`} | ${measuredPhase.map((r) => `${r.rate.toFixed(0)} (${r.cpuUsPerOp.toFixed(1)})`).join(' | ')} |${ratio}`);
  }
}
