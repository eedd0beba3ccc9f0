// Global tables in tests: the replication links a server reports (GET /stratusdb/metrics), waiting
// until they have applied everything, region outages (POST /stratusdb/regions), and waiting for a
// new replica to be ACTIVE everywhere.
import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { ServerProcess } from './server-process.js';
import { until } from './until.js';

export interface Link {
  readonly table: string;
  readonly from: string;
  readonly to: string;
  readonly pending: number;
  readonly applied: number;
  readonly latencyP50Ms?: number;
  readonly latencyP99Ms?: number;
  readonly cut: boolean;
}

export async function links(server: ServerProcess): Promise<Link[]> {
  const res = await fetch(`${server.endpoint}/stratusdb/metrics`);
  return ((await res.json()) as { replication: Link[] }).replication;
}

/** Waits until every link of the server has applied its source's whole log (none cut off). */
export async function drained(server: ServerProcess): Promise<void> {
  await until(async () => (await links(server)).every((l) => l.pending === 0 && !l.cut), 'every replication link drained');
}

export async function outage(server: ServerProcess, region: string, on: boolean, refuseRequests = false): Promise<string[]> {
  const res = await fetch(`${server.endpoint}/stratusdb/regions`, { method: 'POST', body: JSON.stringify({ region, outage: on, refuseRequests }) });
  if (res.status !== 200) throw new Error(`region outage: HTTP ${res.status} ${await res.text()}`);
  return ((await res.json()) as { outages: string[] }).outages;
}

/** Waits until the table is ACTIVE in `region` and lists every other replica ACTIVE. */
export async function replicaActive(db: DynamoDBClient, TableName: string): Promise<void> {
  await until(async () => {
    const table = (await db.send(new DescribeTableCommand({ TableName }))).Table;
    return table?.TableStatus === 'ACTIVE' && (table.Replicas ?? []).every((r) => r.ReplicaStatus === 'ACTIVE');
  }, `${TableName} ACTIVE with every replica ACTIVE`);
}
