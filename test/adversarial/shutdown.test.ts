// SIGTERM shuts the server down however clients behave: stalled and idle connections are closed at
// once, a request already running still gets its whole answer, one sent meanwhile gets 503 and never
// runs, a second signal stops the process at once, and no acknowledged write is lost. The grace period is set to ten minutes on purpose: a test
// that passes cannot have waited for it.
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { once } from 'node:events';
import { after, describe, it } from 'node:test';
import { BatchWriteItemCommand, CreateTableCommand, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { newDataDir, startServerProcess, localOnly } from '../helpers/server-process.js';
import { authHeaders } from '../helpers/raw-request.js';
import { onDemandTable } from '../helpers/tables.js';
import { rmSync } from 'node:fs';
import { until } from '../helpers/until.js';

const longGrace = ['--shutdown-grace-ms', '600000'];

function requestText(endpoint: string, operation: string, body: string): string {
  const { host } = new URL(endpoint);
  const headers = {
    Host: host, 'Content-Type': 'application/x-amz-json-1.0', 'X-Amz-Target': `DynamoDB_20120810.${operation}`, ...authHeaders,
    'Content-Length': String(Buffer.byteLength(body)),
  };
  return `POST / HTTP/1.1\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}`).join('\r\n')}\r\n\r\n${body}`;
}

async function openSocket(endpoint: string): Promise<Socket> {
  const url = new URL(endpoint);
  const socket = connect(Number(url.port), url.hostname);
  await once(socket, 'connect');
  return socket;
}

/** Everything the server sends on the socket until it closes it (a reset ends it like a close). */
function readAll(socket: Socket): Promise<Buffer> {
  const chunks: Buffer[] = [];
  socket.on('data', (c: Buffer) => chunks.push(c));
  socket.on('error', () => {});
  return new Promise((resolve) => socket.once('close', () => resolve(Buffer.concat(chunks))));
}

const dirs: string[] = [];
after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('shutdown on SIGTERM', () => {
  it('closes stalled and idle connections at once and exits 0, keeping every acknowledged write', { ...localOnly, timeout: 120_000 }, async () => {
    const dataDir = newDataDir();
    dirs.push(dataDir);
    const server = await startServerProcess({ dataDir, args: longGrace });
    const db = server.client();
    await db.send(new CreateTableCommand(onDemandTable('Stop', ['id', 'S'])));
    for (let i = 0; i < 50; i++) await db.send(new PutItemCommand({ TableName: 'Stop', Item: { id: { S: `k${i}` } } }));
    // Half a request line, headers without their body, a body cut short: three kinds of stalled client.
    const stalled = await Promise.all([0, 1, 2].map(() => openSocket(server.endpoint)));
    const whole = requestText(server.endpoint, 'PutItem', JSON.stringify({ TableName: 'Stop', Item: { id: { S: 'never' } } }));
    stalled[0]?.write('POST / HT');
    stalled[1]?.write(whole.slice(0, whole.indexOf('\r\n\r\n') + 4));
    stalled[2]?.write(whole.slice(0, whole.length - 5));
    const closed = stalled.map(readAll);
    // An idle keep-alive connection: one request answered, then nothing.
    const idle = await openSocket(server.endpoint);
    const idleAnswers = readAll(idle);
    idle.write(requestText(server.endpoint, 'ListTables', '{}'));
    // Idle means answered: the signal comes after the answer, not while the request is in flight.
    await once(idle, 'data');
    server.child.kill('SIGTERM');
    assert.equal(await server.exited(), 0);
    for (const bytes of await Promise.all(closed)) assert.equal(bytes.length, 0);
    assert.match((await idleAnswers).toString(), /^HTTP\/1\.1 200 OK/);
    const again = await startServerProcess({ dataDir });
    try {
      const db2 = again.client();
      for (let i = 0; i < 50; i++) assert.ok((await db2.send(new GetItemCommand({ TableName: 'Stop', Key: { id: { S: `k${i}` } } }))).Item, `k${i}`);
      assert.equal((await db2.send(new GetItemCommand({ TableName: 'Stop', Key: { id: { S: 'never' } } }))).Item, undefined);
    } finally {
      await again.stop();
    }
  });

  it('lets a running request finish, refuses new connections meanwhile, and stops at once on a second signal', { ...localOnly, timeout: 120_000 }, async () => {
    const dataDir = newDataDir();
    dirs.push(dataDir);
    const server = await startServerProcess({ dataDir, args: longGrace });
    const db = server.client();
    await db.send(new CreateTableCommand(onDemandTable('Big', ['id', 'S'])));
    // 40 items of 390 KB: a BatchGetItem answer of ~16 MB, more than loopback socket buffers hold.
    const pad = 'x'.repeat(390 * 1024);
    for (let i = 0; i < 40; i += 2) {
      await db.send(new BatchWriteItemCommand({ RequestItems: { Big: [i, i + 1].map((n) => ({ PutRequest: { Item: { id: { S: `b${n}` }, pad: { S: pad } } } })) } }));
    }
    const batchGet = (ids: number[]) => requestText(server.endpoint, 'BatchGetItem', JSON.stringify({ RequestItems: { Big: { Keys: ids.map((n) => ({ id: { S: `b${n}` } })) } } }));
    const reader = await openSocket(server.endpoint);
    reader.pause();
    reader.write(batchGet(Array.from({ length: 40 }, (_, n) => n)));
    // The answer is being written (its first bytes are here) and cannot finish while the client reads nothing.
    await once(reader, 'readable');
    server.child.kill('SIGTERM');
    await until(async () => server.output().includes('shutting down'), 'the shutdown to begin');
    await assert.rejects(openSocket(server.endpoint), { code: 'ECONNREFUSED' });
    // A busy client: a write sent on the open connection after the signal must not run.
    reader.write(requestText(server.endpoint, 'PutItem', JSON.stringify({ TableName: 'Big', Item: { id: { S: 'late' } } })));
    // The running request completes in full once the client reads.
    const answer = readAll(reader);
    reader.resume();
    // …and the server closes the connection after it (readAll resolves on close).
    const text = (await answer).toString();
    assert.match(text.slice(0, 20), /^HTTP\/1\.1 200 OK/);
    // The late write is answered 503 if the server reads it before the connection closes after the
    // answer owed on it; either way it never runs (checked after the restart below).
    const refusal = text.indexOf('HTTP/1.1 ', 1);
    if (refusal > 0) assert.match(text.slice(refusal), /^HTTP\/1\.1 503 Service Unavailable\r\n[\s\S]*\r\n\r\n\{"__type":"com\.amazonaws\.dynamodb\.v20120810#ServiceUnavailable","message":"The server is shutting down"\}$/);
    const json = JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4, refusal > 0 ? refusal : undefined)) as { Responses: { Big: unknown[] }; UnprocessedKeys: { Big?: { Keys: unknown[] } } };
    assert.equal(json.Responses.Big.length + (json.UnprocessedKeys.Big?.Keys.length ?? 0), 40);
    assert.equal(await server.exited(), 0);

    // A second signal while a request is held up: the process ends at once.
    const second = await startServerProcess({ dataDir, args: longGrace });
    const held = await openSocket(second.endpoint);
    held.pause();
    held.write(requestText(second.endpoint, 'BatchGetItem', JSON.stringify({ RequestItems: { Big: { Keys: Array.from({ length: 40 }, (_, n) => ({ id: { S: `b${n}` } })) } } })));
    await once(held, 'readable');
    second.child.kill('SIGTERM');
    await until(async () => second.output().includes('shutting down'), 'the shutdown to begin');
    second.child.kill('SIGINT');
    assert.equal(await second.exited(), 130);
    held.destroy();
    // The refused write never ran.
    const third = await startServerProcess({ dataDir });
    try {
      assert.equal((await third.client().send(new GetItemCommand({ TableName: 'Big', Key: { id: { S: 'late' } } }))).Item, undefined);
    } finally {
      await third.stop();
    }
  });
});
