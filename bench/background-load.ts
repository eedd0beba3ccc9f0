// Shared by the latency benches: a background PutItem load on a table until a deadline, and quantiles.
import type { Client } from './client.js';

/** `clients` loops of PutItem (1,000 keys each, overwritten in turn) until performance.now() passes `deadline`. */
export function backgroundPuts(client: Client, table: string, payload: string, deadline: number, clients = 8): Promise<void[]> {
  return Promise.all(Array.from({ length: clients }, async (_, c) => {
    let n = 0;
    while (performance.now() < deadline) await client.call('PutItem', JSON.stringify({ TableName: table, Item: { pk: { S: `bg${c}-${n++ % 1000}` }, data: { S: payload } } }));
  }));
}

/** The q-quantile (0–1) of the values, two decimals. */
export function quantile(values: readonly number[], q: number): string {
  const sorted = [...values].sort((a, b) => a - b);
  return (sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0).toFixed(2);
}
