// Triggers: (1) write → handler invocation latency: one client writes probe items one after another
// while 8 clients keep up PutItem load on the same table; a JS trigger notes when each probe reached
// it. (2) cost: PutItem throughput (32 clients, 1 KB) on a NEW_AND_OLD_IMAGES table without and with a
// no-op trigger (batchSize 100), alternating rounds, and the records/s the trigger delivered.
//   npm run bench -- --triggers [--duration-ms 3000] [--rounds 3]
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { backgroundPuts, quantile } from './background-load.js';
import { Client, waitActive } from './client.js';
import { startTarget, type Target } from './targets.js';

const handler = fileURLToPath(new URL('../../bench/handlers/bench-handler.mjs', import.meta.url));
const payload = 'x'.repeat(1000);
const now = (): number => performance.timeOrigin + performance.now();

interface Batch {
  readonly at: number;
  readonly count: number;
  readonly probes: readonly string[];
}

function project(dir: string, table: string, batchSize: number): string {
  const file = join(dir, 'stratusdb.config.json');
  writeFileSync(file, JSON.stringify({
    triggers: [{ name: 'bench', table, handler: `${handler}#handler`, startingPosition: 'TRIM_HORIZON', batchSize, environment: { OUT_FILE: join(dir, 'batches.jsonl') } }],
  }));
  return file;
}

function readBatches(dir: string): Batch[] {
  try {
    return readFileSync(join(dir, 'batches.jsonl'), 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Batch);
  } catch {
    return [];
  }
}

async function createTable(client: Client, table: string): Promise<void> {
  await client.call('CreateTable', JSON.stringify({
    TableName: table, BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
  }));
  await waitActive(client, table);
}

async function latency(durationMs: number): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'stratusdb-bench-trigger-'));
  const table = 'TriggerLatency';
  const target = await startTarget('stratusdb', 18_700, ['--config', project(dir, table, 100)]);
  try {
    const client = new Client(target.endpoint, 16);
    await createTable(client, table);
    const sentAt = new Map<string, number>();
    const ackedAt = new Map<string, number>();
    const deadline = performance.now() + durationMs;
    const background = backgroundPuts(client, table, payload, deadline);
    let n = 0;
    while (performance.now() < deadline) {
      const key = `probe${n++}`;
      sentAt.set(key, now());
      const res = await client.call('PutItem', JSON.stringify({ TableName: table, Item: { pk: { S: key }, data: { S: payload } } }));
      if (res.status !== 200) throw new Error(res.text);
      ackedAt.set(key, now());
    }
    await background;
    await new Promise((r) => setTimeout(r, 1000));
    client.close();
    const fromSend: number[] = [];
    const fromAck: number[] = [];
    let records = 0;
    for (const batch of readBatches(dir)) {
      records += batch.count;
      for (const key of batch.probes) {
        fromSend.push(batch.at - (sentAt.get(key) ?? batch.at));
        fromAck.push(Math.max(0, batch.at - (ackedAt.get(key) ?? batch.at)));
      }
    }
    console.log(`\nWrite → trigger: ${fromSend.length} of ${sentAt.size} probes reached a JS handler (worker thread) among ${records} records, under 8 clients of PutItem load, LMDB`);
    console.log('| measure | p50 ms | p99 ms | max ms |\n|---|---|---|---|');
    console.log(`| PutItem sent → handler invoked | ${quantile(fromSend, 0.5)} | ${quantile(fromSend, 0.99)} | ${quantile(fromSend, 1)} |`);
    console.log(`| PutItem acknowledged → handler invoked | ${quantile(fromAck, 0.5)} | ${quantile(fromAck, 0.99)} | ${quantile(fromAck, 1)} |`);
  } finally {
    await target.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

interface LoadResult {
  readonly writesPerSecond: number;
  readonly delivered: number;
  /** Records delivered per second, from the first write until the handler had them all. */
  readonly deliveredPerSecond: number;
  /** How long after the load stopped the trigger had caught up. */
  readonly drainMs: number;
}

async function load(durationMs: number, withTrigger: boolean, port: number): Promise<LoadResult> {
  const dir = mkdtempSync(join(tmpdir(), 'stratusdb-bench-trigger-'));
  const table = 'TriggerLoad';
  const target: Target = await startTarget('stratusdb', port, withTrigger ? ['--config', project(dir, table, 100)] : []);
  try {
    const client = new Client(target.endpoint, 32);
    await createTable(client, table);
    let writes = 0;
    const started = now();
    const deadline = performance.now() + durationMs;
    await Promise.all(Array.from({ length: 32 }, async (_, c) => {
      let n = 0;
      while (performance.now() < deadline) {
        const res = await client.call('PutItem', JSON.stringify({ TableName: table, Item: { pk: { S: `k${c}-${n++}` }, data: { S: payload } } }));
        if (res.status !== 200) throw new Error(res.text);
        writes++;
      }
    }));
    const stopped = now();
    client.close();
    let delivered = 0;
    let last = stopped;
    if (withTrigger) {
      const until = performance.now() + 30_000;
      for (;;) {
        const batches = readBatches(dir);
        delivered = batches.reduce((sum, b) => sum + b.count, 0);
        last = batches[batches.length - 1]?.at ?? stopped;
        if (delivered >= writes || performance.now() > until) break;
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    return {
      writesPerSecond: writes / ((stopped - started) / 1000),
      delivered,
      deliveredPerSecond: delivered / ((Math.max(last, stopped) - started) / 1000),
      drainMs: Math.max(0, last - stopped),
    };
  } finally {
    await target.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function runTriggerBench(durationMs: number, rounds: number): Promise<void> {
  await latency(durationMs);
  const without: LoadResult[] = [];
  const withTrigger: LoadResult[] = [];
  for (let r = 0; r < rounds; r++) {
    without.push(await load(durationMs, false, 18_710 + r * 2));
    withTrigger.push(await load(durationMs, true, 18_711 + r * 2));
  }
  const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
  const base = median(without.map((r) => r.writesPerSecond));
  const triggered = median(withTrigger.map((r) => r.writesPerSecond));
  console.log(`\nPutItem, 32 clients, 1 KB, NEW_AND_OLD_IMAGES stream, LMDB; median of ${rounds} alternating rounds of ${durationMs} ms`);
  console.log('| table | PutItem/s | records delivered | delivered/s | caught up after load |\n|---|---|---|---|---|');
  console.log(`| stream, no trigger | ${base.toFixed(0)} | – | – | – |`);
  const mid = withTrigger.find((r) => r.writesPerSecond === triggered) ?? withTrigger[0];
  console.log(`| stream + no-op JS trigger, batchSize 100 | ${triggered.toFixed(0)} | ${mid?.delivered ?? 0} | ${(mid?.deliveredPerSecond ?? 0).toFixed(0)} | ${(mid?.drainMs ?? 0).toFixed(0)} ms |`);
  console.log(`→ the trigger costs ${(100 * (1 - triggered / base)).toFixed(1)} % of write throughput`);
}
