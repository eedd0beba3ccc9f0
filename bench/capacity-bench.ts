// Provisioned capacity enforced (--enforce-capacity) but ample: what admission costs. Two servers,
// one enforcing and one not, each with a PROVISIONED table of 40,000 RCU / 40,000 WCU holding 10,000
// items of 1 KB; GetItem and PutItem with 32 clients, `rounds` windows on each server in turn.
//   npm run bench -- --capacity [--duration-ms 3000] [--rounds 3]
import { Client, waitActive } from './client.js';
import { startTarget, type Target } from './targets.js';
import { closedLoop } from './closed-loop.js';

const payload = 'c'.repeat(1000);
const items = 10_000;

async function prepare(client: Client): Promise<void> {
  await client.call('CreateTable', JSON.stringify({
    TableName: 'Provisioned', BillingMode: 'PROVISIONED', ProvisionedThroughput: { ReadCapacityUnits: 40_000, WriteCapacityUnits: 40_000 },
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
  }));
  await waitActive(client, 'Provisioned');
  for (let n = 0; n < items; n += 25) {
    const requests = Array.from({ length: 25 }, (_, i) => ({ PutRequest: { Item: { pk: { S: `k${n + i}` }, data: { S: payload } } } }));
    const res = await client.call('BatchWriteItem', JSON.stringify({ RequestItems: { Provisioned: requests } }));
    if (res.status !== 200) throw new Error(res.text);
  }
}

/** 32 clients of one operation for `durationMs`: calls a second, and the server's CPU µs per call. */
function measured(target: Target, client: Client, operation: 'GetItem' | 'PutItem', durationMs: number): Promise<{ rate: number; cpu: number }> {
  return closedLoop(target, client, operation, 'Provisioned', items, payload, durationMs);
}

export async function runCapacityBench(durationMs: number, rounds: number): Promise<void> {
  const enforced = await startTarget('stratusdb', 18_880, ['--enforce-capacity']);
  const free = await startTarget('stratusdb', 18_881);
  const bare = await startTarget('stratusdb', 18_882, ['--no-metrics']);
  const clients = { enforced: new Client(enforced.endpoint, 64), free: new Client(free.endpoint, 64), bare: new Client(bare.endpoint, 64) };
  try {
    for (const client of Object.values(clients)) await prepare(client);
    const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
    /** `rounds` alternating windows on two servers: per round ops/s, the median ratio, the median server CPU per op. */
    const compare = async (title: string, columns: [string, string], a: [Target, Client], b: [Target, Client]): Promise<void> => {
      console.log(`\n${title}, 32 clients, 1 KB items, ${rounds} rounds of ${durationMs} ms on each server in turn`);
      console.log(`| operation | ${columns[0]} ops/s per round | ${columns[1]} ops/s per round | median ops/s ratio | server CPU µs/op (${columns[0]} / ${columns[1]}) |\n|---|---|---|---|---|`);
      for (const operation of ['GetItem', 'PutItem'] as const) {
        const on: { rate: number; cpu: number }[] = [];
        const off: { rate: number; cpu: number }[] = [];
        for (let round = 0; round < rounds; round++) {
          // Alternate which goes first, so neither always runs on a warmer machine.
          if (round % 2 === 0) {
            on.push(await measured(a[0], a[1], operation, durationMs));
            off.push(await measured(b[0], b[1], operation, durationMs));
          } else {
            off.push(await measured(b[0], b[1], operation, durationMs));
            on.push(await measured(a[0], a[1], operation, durationMs));
          }
        }
        const ratio = median(on.map((v, i) => v.rate / (off[i] as { rate: number }).rate));
        const cpuOn = median(on.map((v) => v.cpu));
        const cpuOff = median(off.map((v) => v.cpu));
        console.log(`| ${operation} | ${on.map((v) => v.rate.toFixed(0)).join(', ')} | ${off.map((v) => v.rate.toFixed(0)).join(', ')} | ${ratio.toFixed(3)} | ${cpuOn.toFixed(1)} / ${cpuOff.toFixed(1)} (${(cpuOff / cpuOn).toFixed(3)}) |`);
      }
    };
    await compare('Provisioned capacity enforced but ample (40,000 RCU/WCU)', ['enforced', 'not enforced'], [enforced, clients.enforced], [free, clients.free]);
    await compare('Metrics kept (Prometheus totals and CloudWatch minutes) or not (--no-metrics)', ['metrics', 'no metrics'], [free, clients.free], [bare, clients.bare]);
  } finally {
    for (const client of Object.values(clients)) client.close();
    await enforced.stop();
    await free.stop();
    await bare.stop();
  }
}
