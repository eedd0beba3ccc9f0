// A fuzzer at the socket level: seeded random HTTP requests built to be wrong in every way the wire
// allows — methods, paths, content types, targets, huge and many headers, lying or doubled
// Content-Length, chunked bodies good and bad, smuggling attempts (Content-Length with
// Transfer-Encoding), pipelined requests, invalid UTF-8, truncated and misshapen JSON. No answer may
// be a 5xx, and the server must keep serving.
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { CreateTableCommand, GetItemCommand, ListTablesCommand, PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { startServerProcess, type ServerProcess, localOnly } from '../helpers/server-process.js';
import { seededRandom } from '../helpers/seeded-random.js';
import { authHeaders } from '../helpers/raw-request.js';
import { onDemandTable } from '../helpers/tables.js';

const cases = 800;

type Random = () => number;
const pick = <T>(random: Random, options: readonly T[]): T => options[Math.floor(random() * options.length)] as T;

const operations = ['PutItem', 'GetItem', 'UpdateItem', 'DeleteItem', 'Query', 'Scan', 'BatchWriteItem', 'TransactWriteItems', 'CreateTable', 'DescribeTable',
  'ExecuteStatement', 'ListTables', 'UpdateTimeToLive', 'GetRecords', 'Nope'];

/** Bodies: valid requests, near misses and garbage. */
function body(random: Random): Buffer {
  const valid = [
    '{"TableName":"Fuzzed","Item":{"id":{"S":"a"},"n":{"N":"1"}}}',
    '{"TableName":"Fuzzed","Key":{"id":{"S":"a"}}}',
    '{"TableName":"Fuzzed","Key":{"id":{"S":"a"}},"UpdateExpression":"SET n = n + :one","ExpressionAttributeValues":{":one":{"N":"1"}}}',
    '{"TableName":"Fuzzed","KeyConditionExpression":"id = :v","ExpressionAttributeValues":{":v":{"S":"a"}}}',
    '{}',
    '{"Statement":"SELECT * FROM Fuzzed"}',
  ];
  const choice = random();
  const text = pick(random, valid);
  if (choice < 0.25) return Buffer.from(text);
  if (choice < 0.4) return Buffer.from(text.slice(0, Math.floor(random() * text.length))); // truncated
  if (choice < 0.5) return Buffer.concat([Buffer.from(text.slice(0, 20)), Buffer.from([0xff, 0xc3, 0x28, 0xed, 0xa0, 0x80]), Buffer.from(text.slice(20))]);
  if (choice < 0.6) return Buffer.from(pick(random, ['[]', 'null', '1', '"x"', 'true', '{"TableName":[]}', '{"Item":"x"}', '{"TableName":"Fuzzed","Item":{"id":[]}}',
    '{"TableName":"Fuzzed","Item":{"id":{"S":{"S":"x"}}}}', '{"__proto__":{"x":1}}', '{"TableName":"Fuzzed","Key":{"id":{"N":"1e99999999"}}}']));
  if (choice < 0.7) return Buffer.from(`{"a":${'['.repeat(Math.floor(random() * 5000))}`);
  if (choice < 0.8) return Buffer.from(Array.from({ length: Math.floor(random() * 300) }, () => Math.floor(random() * 256)));
  if (choice < 0.85) return Buffer.alloc(0);
  return Buffer.from(JSON.stringify({ TableName: 'Fuzzed', Item: { id: { S: 'x'.repeat(Math.floor(random() * 200_000)) } } }));
}

/** One request's bytes, wrong in a random way or several. */
function request(random: Random, host: string): Buffer {
  const payload = body(random);
  const method = random() < 0.8 ? 'POST' : pick(random, ['GET', 'PUT', 'DELETE', 'OPTIONS', 'HEAD', 'PATCH', 'CONNECT', 'BREW', 'GET\u0000', '']);
  const path = random() < 0.85 ? '/' : pick(random, ['/health', '/stratusdb/triggers', '//', '/%zz', '*', `/${'a'.repeat(9000)}`, 'http://localhost/', '/?X-Amz-Algorithm=x', '']);
  const headers: [string, string][] = [['Host', random() < 0.95 ? host : pick(random, ['evil.example', '', 'localhost:1'])]];
  if (random() < 0.9) headers.push(['Content-Type', pick(random, ['application/x-amz-json-1.0', 'application/x-amz-json-1.1', 'application/json', 'text/plain', 'application/x-amz-json-1.0; charset=utf-8', ';;', 'application/x-amz-json-1.0\t'])]);
  if (random() < 0.9) headers.push(['X-Amz-Target', pick(random, [...operations.map((o) => `DynamoDB_20120810.${o}`), 'DynamoDBStreams_20120810.GetRecords', 'DynamoDB_20120810', '.', 'x'.repeat(300)])]);
  if (random() < 0.9) headers.push(['Authorization', random() < 0.8 ? authHeaders.Authorization : pick(random, ['AWS4-HMAC-SHA256', 'Basic eA==', 'AWS4-HMAC-SHA256 Credential=a/b, Signature=, SignedHeaders=', ''])]);
  if (random() < 0.9) headers.push(['X-Amz-Date', authHeaders['X-Amz-Date']]);
  if (random() < 0.1) headers.push(['Origin', pick(random, ['http://localhost:3000', 'https://evil.example', 'null'])]);
  if (random() < 0.05) headers.push(['X-Big', 'b'.repeat(70_000)]);
  if (random() < 0.05) for (let i = 0; i < 3000; i++) headers.push([`X-Many-${i}`, 'v']);
  if (random() < 0.05) headers.push(['Expect', '100-continue']);
  if (random() < 0.05) headers.push(['Connection', 'Upgrade'], ['Upgrade', 'websocket']);
  let framed = payload;
  const framing = random();
  if (framing < 0.6) headers.push(['Content-Length', String(payload.length)]);
  else if (framing < 0.68) headers.push(['Content-Length', String(payload.length + 1 + Math.floor(random() * 100))]); // lies: longer
  else if (framing < 0.74) headers.push(['Content-Length', String(Math.max(0, payload.length - 1 - Math.floor(random() * 10)))]); // lies: shorter
  else if (framing < 0.78) headers.push(['Content-Length', pick(random, ['-1', 'x', '1e3', '99999999999999999999', ' 12', '0x10'])]);
  else if (framing < 0.82) headers.push(['Content-Length', String(payload.length)], ['Content-Length', String(payload.length + 5)]);
  else if (framing < 0.92) {
    headers.push(['Transfer-Encoding', pick(random, ['chunked', 'chunked', 'gzip, chunked', 'chunked, identity', ' chunked', 'xchunked'])]);
    if (random() < 0.3) headers.push(['Content-Length', String(payload.length)]); // the classic smuggling pair
    const size = random() < 0.9 ? payload.length.toString(16) : pick(random, ['zz', '-1', 'ffffffffffffffff', '']);
    framed = Buffer.concat([Buffer.from(`${size}\r\n`), payload, Buffer.from(random() < 0.8 ? '\r\n0\r\n\r\n' : '\r\n')]);
  } else framed = payload; // no framing at all
  const head = `${method} ${path} ${random() < 0.95 ? 'HTTP/1.1' : pick(random, ['HTTP/1.0', 'HTTP/2.0', 'HTTP/9', 'HTTX'])}\r\n${headers.map(([k, v]) => `${k}: ${v}`).join('\r\n')}\r\n\r\n`;
  return Buffer.concat([Buffer.from(head, 'latin1'), framed]);
}

/** Sends the bytes on a new connection, half-closes it, and resolves to every status line that came back. */
function exchange(endpoint: string, bytes: Buffer): Promise<number[]> {
  const url = new URL(endpoint);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname);
    const chunks: Buffer[] = [];
    const safety = setTimeout(() => reject(new Error(`no end to the exchange: ${bytes.subarray(0, 200).toString('latin1')}`)), 30_000);
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', () => undefined); // a reset is an answer too
    socket.on('close', () => {
      clearTimeout(safety);
      const text = Buffer.concat(chunks).toString('latin1');
      resolve([...text.matchAll(/HTTP\/1\.[01] (\d{3})/g)].map((m) => Number(m[1])));
    });
    socket.on('connect', () => socket.end(bytes));
  });
}

describe('wire fuzzer', () => {
  let server: ServerProcess;
  let db: DynamoDBClient;
  before(async () => {
    server = await startServerProcess();
    db = server.client();
    await db.send(new CreateTableCommand(onDemandTable('Fuzzed', ['id', 'S'])));
    await db.send(new PutItemCommand({ TableName: 'Fuzzed', Item: { id: { S: 'kept' } } }));
  });
  after(async () => server.dispose());

  it(`answers ${cases} malformed requests without a 5xx and keeps serving`, { ...localOnly, timeout: 300_000 }, async () => {
    const random = seededRandom(0xf022);
    const host = new URL(server.endpoint).host;
    const statuses = new Map<number, number>();
    for (let n = 0; n < cases; n++) {
      // Now and then two or three requests pipelined on one connection.
      const count = random() < 0.1 ? 2 + Math.floor(random() * 2) : 1;
      const bytes = Buffer.concat(Array.from({ length: count }, () => request(random, host)));
      for (const status of await exchange(server.endpoint, bytes)) {
        assert.ok(status < 500, `case ${n}: ${status} for ${bytes.subarray(0, 300).toString('latin1')}`);
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
      }
      if (n % 100 === 99) assert.ok((await db.send(new ListTablesCommand({}))).TableNames?.includes('Fuzzed'));
    }
    assert.equal(server.child.exitCode, null);
    assert.ok((await db.send(new GetItemCommand({ TableName: 'Fuzzed', Key: { id: { S: 'kept' } } }))).Item);
    console.log(`wire fuzzer: answers by status ${JSON.stringify(Object.fromEntries([...statuses].sort(([a], [b]) => a - b)))}`);
  });
});
