// Global tables in tests: the replication links a server reports (GET /stratusdb/metrics), waiting
// until they have applied everything, region outages (POST /stratusdb/regions), and waiting for a
// new replica to be ACTIVE everywhere; servers that serve one region each and name each other (--peer);
// the Users table the tests replicate.
import { DescribeTableCommand, GetItemCommand, type AttributeValue, type DynamoDBClient, type ReplicaDescription } from '@aws-sdk/client-dynamodb';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { startServerProcess, type ServerProcess } from './server-process.js';
import { until } from './until.js';
import type { LinkStatus } from '../../src/engine/replication/replicator.js';

export type Link = LinkStatus;

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

/** Free ports on loopback for servers that must know each other's address before they start. */
export async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(Array.from({ length: count }, () => new Promise<Server>((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => resolve(s));
  })));
  const ports = servers.map((s) => (s.address() as AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  return ports;
}

/** One server per region, each naming the others with --peer; `args` are given to every one. */
export async function startPeers(regions: readonly string[], args: readonly string[] = [], key = 'test-replication-key'): Promise<Map<string, { server: ServerProcess; port: number; args: string[] }>> {
  const ports = await freePorts(regions.length);
  const out = new Map<string, { server: ServerProcess; port: number; args: string[] }>();
  await Promise.all(regions.map(async (region, i) => {
    const peers = regions.flatMap((other, j) => (j === i ? [] : ['--peer', `${other}=http://127.0.0.1:${ports[j]}`]));
    const own = ['--port', String(ports[i]), '--replication-key', key, ...peers, ...args];
    out.set(region, { server: await startServerProcess({ args: own }), port: ports[i] as number, args: own });
  }));
  return out;
}

/** The Users table the global-table tests replicate: a key and a GSI. */
export const usersTable = {
  AttributeDefinitions: [{ AttributeName: 'userId', AttributeType: 'S' as const }, { AttributeName: 'country', AttributeType: 'S' as const }],
  KeySchema: [{ AttributeName: 'userId', KeyType: 'HASH' as const }],
  BillingMode: 'PAY_PER_REQUEST' as const,
  GlobalSecondaryIndexes: [{ IndexName: 'byCountry', KeySchema: [{ AttributeName: 'country', KeyType: 'HASH' as const }], Projection: { ProjectionType: 'ALL' as const } }],
};

export const user = (id: string, name: string, country = 'FR'): Record<string, AttributeValue> => ({ userId: { S: id }, name: { S: name }, country: { S: country } });

/** A user by id, read strongly. */
export async function getUser(db: DynamoDBClient, TableName: string, id: string): Promise<Record<string, AttributeValue> | undefined> {
  return (await db.send(new GetItemCommand({ TableName, Key: { userId: { S: id } }, ConsistentRead: true }))).Item;
}

/** A Replicas list's regions and statuses. */
export const statuses = (replicas: readonly ReplicaDescription[] | undefined) => replicas?.map(({ RegionName, ReplicaStatus }) => ({ RegionName, ReplicaStatus }));
