// The shutdown tracker on a real node:http server whose handler holds requests until told to answer:
// a request that arrives during the drain never runs (503, or its connection closes after the
// answers owed on it); held requests still get their whole answer; idle connections close at once;
// the drain ends when the last connection has closed.
import assert from 'node:assert/strict';
import { createServer, type ServerResponse } from 'node:http';
import { once } from 'node:events';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { describe, it } from 'node:test';
import { trackRequests } from './shutdown.js';

function received(socket: Socket): Promise<string> {
  let text = '';
  socket.on('data', (c: Buffer) => (text += c.toString()));
  return new Promise((resolve) => socket.on('close', () => resolve(text)));
}

describe('trackRequests', () => {
  it('runs no request that arrives during the drain and lets held ones finish', async () => {
    const held = new Map<string, ServerResponse>();
    const ran: string[] = [];
    const server = createServer((req, res) => {
      if (!tracker.admit(req, res, 'REQ')) return;
      ran.push(req.url ?? '');
      req.resume();
      req.on('end', () => held.set(req.url ?? '', res));
    });
    const tracker = trackRequests(server);
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    const open = async (): Promise<Socket> => {
      const socket = connect(port, '127.0.0.1');
      await once(socket, 'connect');
      return socket;
    };
    const [a, b, idle] = [await open(), await open(), await open()];
    const [fromA, fromB, fromIdle] = [received(a as Socket), received(b as Socket), received(idle as Socket)];
    a?.write('GET /a HTTP/1.1\r\nHost: x\r\n\r\n');
    b?.write('GET /b HTTP/1.1\r\nHost: x\r\n\r\n');
    while (held.size < 2) await new Promise((r) => setImmediate(r));
    const drained = tracker.drain(600_000);
    assert.equal(await fromIdle, '');
    // Pipelined behind a held request during the drain: refused, never run.
    a?.write('GET /late HTTP/1.1\r\nHost: x\r\n\r\n');
    await new Promise((r) => setImmediate(r));
    held.get('/a')?.end('answer a');
    held.get('/b')?.end('answer b');
    const [textA, textB] = [await fromA, await fromB];
    assert.match(textA, /^HTTP\/1\.1 200 OK[\s\S]*Connection: close[\s\S]*answer a/);
    assert.doesNotMatch(textA, /HTTP\/1\.1 200 OK[\s\S]*HTTP\/1\.1 200 OK/);
    assert.match(textB, /^HTTP\/1\.1 200 OK[\s\S]*Connection: close[\s\S]*answer b$/);
    await drained;
    assert.deepEqual(ran, ['/a', '/b']);
  });

  it('answers 503 with DynamoDB\'s envelope to a request pipelined behind an answer already under way', async () => {
    let first: ServerResponse | undefined;
    const ran: string[] = [];
    const refused: string[] = [];
    const server = createServer((req, res) => {
      if (!tracker.admit(req, res, 'REQ')) return void refused.push(req.url ?? '');
      ran.push(req.url ?? '');
      first = res;
      res.writeHead(200, { 'Content-Length': 6 });
      res.write('par');
    });
    const tracker = trackRequests(server);
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const socket = connect((server.address() as AddressInfo).port, '127.0.0.1');
    await once(socket, 'connect');
    const text = received(socket);
    socket.write('GET /first HTTP/1.1\r\nHost: x\r\n\r\n');
    while (first === undefined) await new Promise((r) => setImmediate(r));
    const drained = tracker.drain(600_000);
    socket.write('GET /late HTTP/1.1\r\nHost: x\r\n\r\n');
    while (refused.length === 0) await new Promise((r) => setImmediate(r));
    first.end('tly');
    await drained;
    assert.deepEqual([ran, refused], [['/first'], ['/late']]);
    assert.match(await text, /^HTTP\/1\.1 200 OK[\s\S]*partlyHTTP\/1\.1 503 Service Unavailable[\s\S]*\{"__type":"com\.amazonaws\.dynamodb\.v20120810#ServiceUnavailable","message":"The server is shutting down"\}$/);
  });
});
