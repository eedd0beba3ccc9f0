// The `stratusdb` command: help, version, DynamoDB Local's flags, graceful shutdown.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, it } from 'node:test';
import { CreateTableCommand, ListTablesCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { newDataDir, startServerProcess, localOnly } from '../helpers/server-process.js';

const run = promisify(execFile);
const cli = new URL('../../bin/stratusdb.mjs', import.meta.url).pathname;
const version = (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

describe('stratusdb command', () => {
  it('prints help and version', async () => {
    const help = await run(process.execPath, [cli, '--help']);
    assert.match(help.stdout, /--table-status-delay-ms N/);
    assert.match(help.stdout, /-dbPath DIR/);
    assert.equal((await run(process.execPath, [cli, '--version'])).stdout, `${version}\n`);
    assert.equal((await run(process.execPath, [cli, '-help'])).stdout, help.stdout);
  });

  it('refuses unknown flags with exit code 2', async () => {
    await assert.rejects(run(process.execPath, [cli, '--frobnicate']), (error: { code: number; stderr: string }) => {
      assert.equal(error.code, 2);
      assert.equal(error.stderr, 'stratusdb: unknown option --frobnicate (see --help)\n');
      return true;
    });
  });

  it("accepts DynamoDB Local's flags", localOnly, async () => {
    const dir = newDataDir();
    const server = await startServerProcess({ dataDir: dir, args: ['-port', '0', '-dbPath', dir, '-sharedDb', '-cors', '*', '-disableTelemetry'] });
    try {
      await server.client('us-west-1').send(new CreateTableCommand({
        TableName: 'LocalStyle', BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      }));
      assert.deepEqual((await server.client('eu-north-1').send(new ListTablesCommand({}))).TableNames, ['LocalStyle']);
      assert.ok(existsSync(join(dir, 'data.mdb')));
    } finally {
      await server.dispose();
    }
  });

  it('serves -inMemory without touching the data directory', localOnly, async () => {
    const server = await startServerProcess({ args: ['-inMemory'] });
    try {
      assert.match(server.output(), /\(data: memory:\/\/\)/);
      assert.ok(!existsSync(join(server.dataDir, 'data.mdb')));
    } finally {
      await server.dispose();
    }
  });

  it('finishes in-flight writes and exits 0 on SIGTERM', localOnly, async () => {
    const server = await startServerProcess();
    const db = server.client();
    await db.send(new CreateTableCommand({
      TableName: 'Graceful', BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    }));
    const writes = Array.from({ length: 50 }, (_, i) => db.send(new PutItemCommand({ TableName: 'Graceful', Item: { id: { S: `k${i}` } } })));
    await new Promise((r) => setImmediate(r));
    server.child.kill('SIGTERM');
    const results = await Promise.allSettled(writes);
    // Wait for the exit this one signal causes: stop() would send a second SIGTERM to a server still
    // closing its store, and a second signal means "stop at once" (exit 143).
    const code = await server.exited();
    await server.stop();
    assert.equal(code, 0);
    const acknowledged = results.filter((r) => r.status === 'fulfilled').length;
    const again = await startServerProcess({ dataDir: server.dataDir });
    try {
      const { DescribeTableCommand } = await import('@aws-sdk/client-dynamodb');
      const count = (await again.client().send(new DescribeTableCommand({ TableName: 'Graceful' }))).Table?.ItemCount ?? 0;
      assert.ok(count >= acknowledged, `acknowledged ${acknowledged}, found ${count}`);
    } finally {
      await again.dispose();
    }
  });
});
