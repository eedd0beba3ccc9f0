// Operating StratusDB on PostgreSQL: `stratusdb migrate` brings a schema to the current version (and
// says when it already is); GET /health/ready tells a node whose database is unreachable (503) from one
// that serves (200), while GET /health stays 200; during the outage requests answer InternalServerError
// and change nothing, and the node serves again by itself once the database is back. The outage is made
// by a TCP proxy between the node and PostgreSQL that drops every connection and refuses new ones. A
// connection that breaks in the middle of a request (no goodbye from PostgreSQL, as when its server
// is killed) fails that request alone: the process keeps serving.
// Skipped, with the reason, without PostgreSQL.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { createHash } from 'node:crypto';
import { CreateTableCommand, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import pg from 'pg';
import { freshSchemaUrl, postgresForSuite } from '../helpers/postgres-cluster.js';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { onDemandTable } from '../helpers/tables.js';
import { until } from '../helpers/until.js';
import { tcpProxy, viaProxy } from '../helpers/tcp-proxy.js';

const postgres = await postgresForSuite();
const cliPath = new URL('../../bin/stratusdb.mjs', import.meta.url).pathname;

describe('operating on PostgreSQL', { skip: postgres.skip }, () => {
  const disposers: (() => Promise<unknown>)[] = [];
  after(async () => {
    for (const dispose of disposers.reverse()) await dispose();
  });

  it('migrates a schema with `stratusdb migrate`, once', async () => {
    const data = freshSchemaUrl(postgres.url);
    const run = async () => (await promisify(execFile)(process.execPath, [cliPath, 'migrate', '--data', data])).stdout;
    assert.equal(await run(), 'applied migrations 1, 2: schema at version 2\n');
    assert.equal(await run(), 'schema already at version 2\n');
    const client = new pg.Client({ connectionString: postgres.url });
    await client.connect();
    try {
      const schema = new URL(data).searchParams.get('schema') as string;
      const applied = async () => (await client.query<{ version: number; name: string }>(`SELECT version, name FROM ${schema}.stratusdb_migrations ORDER BY version`)).rows.map((r) => ({ ...r }));
      const both = [
        { version: 1, name: 'catalog, items and sharded table statistics' },
        { version: 2, name: 'writes in one round trip: stratusdb_apply and stratusdb_write_guessed' },
      ];
      assert.deepEqual(await applied(), both);
      // A schema one version behind is brought up to date.
      await client.query(`DROP FUNCTION ${schema}.stratusdb_write_guessed; DROP FUNCTION ${schema}.stratusdb_apply; DELETE FROM ${schema}.stratusdb_migrations WHERE version = 2`);
      assert.equal(await run(), 'applied migration 2: schema at version 2\n');
      assert.deepEqual(await applied(), both);
    } finally {
      await client.end();
    }
  });

  it('reports storage readiness, answers InternalServerError while PostgreSQL is away, and serves again when it is back', async () => {
    const proxy = await tcpProxy(new URL(postgres.url));
    disposers.push(() => proxy.close());
    const node: ServerProcess = await startServerProcess({ data: viaProxy(freshSchemaUrl(postgres.url), proxy) });
    disposers.push(() => node.dispose());
    const db = node.client();
    const health = async (path: string) => {
      const res = await fetch(`${node.endpoint}${path}`);
      return [res.status, await res.text()];
    };
    await db.send(new CreateTableCommand(onDemandTable('Outage', ['pk', 'S'])));
    await db.send(new PutItemCommand({ TableName: 'Outage', Item: { pk: { S: 'a' }, v: { N: '1' } } }));
    assert.deepEqual(await health('/health/ready'), [200, '{"status":"ready"}']);

    proxy.cut();
    assert.deepEqual(await health('/health/ready'), [503, '{"status":"storage unreachable"}']);
    assert.deepEqual(await health('/health'), [200, '{"status":"ok"}']);
    await assert.rejects(db.send(new GetItemCommand({ TableName: 'Outage', Key: { pk: { S: 'a' } } })), { name: 'InternalServerError', message: 'Internal server error' });
    await assert.rejects(db.send(new PutItemCommand({ TableName: 'Outage', Item: { pk: { S: 'a' }, v: { N: '2' } } })), { name: 'InternalServerError', message: 'Internal server error' });

    proxy.restore();
    assert.deepEqual(await health('/health/ready'), [200, '{"status":"ready"}']);
    const item = await db.send(new GetItemCommand({ TableName: 'Outage', Key: { pk: { S: 'a' } }, ConsistentRead: true }));
    assert.equal(item.Item?.['v']?.N, '1', 'the write refused during the outage changed nothing');
    await db.send(new PutItemCommand({ TableName: 'Outage', Item: { pk: { S: 'a' }, v: { N: '3' } } }));
    assert.equal((await db.send(new GetItemCommand({ TableName: 'Outage', Key: { pk: { S: 'a' } }, ConsistentRead: true }))).Item?.['v']?.N, '3');
  });

  it('fails only the request whose connection breaks mid-request, and keeps serving', async () => {
    const url = postgres.url;
    const data = freshSchemaUrl(url);
    const proxy = await tcpProxy(new URL(url));
    disposers.push(() => proxy.close());
    const node = await startServerProcess({ data: viaProxy(data, proxy) });
    disposers.push(() => node.dispose());
    const db = node.client();
    await db.send(new CreateTableCommand(onDemandTable('Terminated', ['pk', 'S'])));
    await db.send(new PutItemCommand({ TableName: 'Terminated', Item: { pk: { S: 'a' }, v: { N: '1' } } }));
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      // Hold the item, so that the node's write waits inside PostgreSQL on a connection it has checked out.
      const schema = new URL(data).searchParams.get('schema') as string;
      const row = (await admin.query<{ table_id: Buffer; key: Buffer }>(`SELECT table_id, key FROM ${schema}.items WHERE json LIKE '{"pk":{"S":"a"}%'`)).rows[0];
      assert.ok(row !== undefined);
      const lock = createHash('sha1').update(row.table_id).update(row.key).digest().readBigInt64BE(0);
      await admin.query('BEGIN');
      await admin.query('SELECT pg_advisory_xact_lock($1)', [String(lock)]);
      const write = db.send(new PutItemCommand({ TableName: 'Terminated', Item: { pk: { S: 'a' }, v: { N: '2' } } })).then(() => 'written', (error: Error) => `${error.name}: ${error.message}`);
      const [classid, objid] = [String(BigInt.asUintN(64, lock) >> 32n), String(BigInt.asUintN(64, lock) & 0xffffffffn)];
      let waiting: number | undefined;
      await until(async () => {
        waiting = (await admin.query<{ pid: number }>(`SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND classid = $1 AND objid = $2`, [classid, objid])).rows[0]?.pid;
        return waiting !== undefined;
      }, 'the PutItem waiting for the item');
      // Every connection of the node breaks, the waiting one with it.
      proxy.cut();
      assert.equal(await write, 'InternalServerError: Internal server error');
      await admin.query('ROLLBACK');
      proxy.restore();
    } finally {
      await admin.end();
    }
    assert.equal(node.child.exitCode, null, 'the node is still running');
    await db.send(new PutItemCommand({ TableName: 'Terminated', Item: { pk: { S: 'a' }, v: { N: '3' } } }));
    assert.equal((await db.send(new GetItemCommand({ TableName: 'Terminated', Key: { pk: { S: 'a' } }, ConsistentRead: true }))).Item?.['v']?.N, '3');
  });
});
