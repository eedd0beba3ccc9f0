// 32 clients calling one operation back to back on a table of `items` 1 KB items (`k0` … by key pk):
// calls a second, and the server's CPU µs per call. What the capacity and auth benches measure.
import type { Client } from './client.js';
import { cpuMicros, type Target } from './targets.js';

export async function closedLoop(target: Target, client: Client, operation: 'GetItem' | 'PutItem', table: string, items: number, payload: string, durationMs: number): Promise<{ rate: number; cpu: number }> {
  const pid = target.child.pid as number;
  const before = cpuMicros(pid);
  const deadline = performance.now() + durationMs;
  let done = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: 32 }, async (_, c) => {
    for (let n = c; performance.now() < deadline; n += 32) {
      const key = { pk: { S: `k${n % items}` } };
      const body = operation === 'GetItem' ? { TableName: table, Key: key } : { TableName: table, Item: { ...key, data: { S: payload } } };
      const res = await client.call(operation, JSON.stringify(body));
      if (res.status !== 200) throw new Error(res.text);
      done++;
    }
  }));
  const seconds = (performance.now() - started) / 1000;
  return { rate: done / seconds, cpu: (cpuMicros(pid) - before) / done };
}
