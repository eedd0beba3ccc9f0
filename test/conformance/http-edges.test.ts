// HTTP as DynamoDB speaks it, byte for byte: compressed requests and answers, the content type
// echoed, the Server header, error bodies' message key, oversized headers, other methods and paths.
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { crc32, deflateSync, gunzipSync, gzipSync, inflateSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { CreateTableCommand, GetItemCommand, PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { authHeaders, callRaw, rawRequest } from '../helpers/raw-request.js';
import { onDemandTable } from '../helpers/tables.js';

describe('HTTP edges', () => {
  let server: ServerProcess;
  let db: DynamoDBClient;
  const big = 'x'.repeat(5000);
  before(async () => {
    server = await startServerProcess();
    db = server.client();
    await db.send(new CreateTableCommand(onDemandTable('Wire', ['id', 'S'])));
    await db.send(new PutItemCommand({ TableName: 'Wire', Item: { id: { S: 'big' }, v: { S: big } } }));
    await db.send(new PutItemCommand({ TableName: 'Wire', Item: { id: { S: 'small' }, v: { S: 'tiny' } } }));
  });
  after(async () => server.dispose());

  const stored = async (id: string) => (await db.send(new GetItemCommand({ TableName: 'Wire', Key: { id: { S: id } }, ConsistentRead: true }))).Item;
  const put = (id: string) => JSON.stringify({ TableName: 'Wire', Item: { id: { S: id }, v: { S: 'sent compressed' } } });

  it('takes a gzip or deflate request body', async () => {
    for (const [encoding, compress] of [['gzip', gzipSync], ['deflate', deflateSync], ['GZIP', gzipSync]] as const) {
      const res = await callRaw(server.endpoint, 'PutItem', compress(put(`z-${encoding}`)), { 'Content-Encoding': encoding });
      assert.equal(res.status, 200, res.body);
      assert.deepEqual(await stored(`z-${encoding}`), { id: { S: `z-${encoding}` }, v: { S: 'sent compressed' } });
    }
  });

  it('answers a body that does not decompress, or an encoding it does not know, with 500 and runs nothing', async () => {
    const cases: readonly [string, Buffer | string, string][] = [
      ['not gzip', put('bad-1'), 'gzip'],
      ['cut short', gzipSync(put('bad-2')).subarray(0, 30), 'gzip'],
      ['empty', '', 'gzip'],
      ['unknown encoding', put('bad-4'), 'garbage'],
    ];
    for (const [name, body, encoding] of cases) {
      const res = await callRaw(server.endpoint, 'PutItem', body, { 'Content-Encoding': encoding });
      assert.deepEqual([res.status, res.json()], [500, { __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError', message: 'Internal server error' }], name);
    }
    for (const id of ['bad-1', 'bad-2', 'bad-4']) assert.equal(await stored(id), undefined);
  });

  it('refuses a compressed body past 16 MB once decompressed with 413', async () => {
    const inflated = `{"TableName":"Wire","Item":{"id":{"S":"huge"}}${' '.repeat(17 * 1024 * 1024)}}`;
    const res = await callRaw(server.endpoint, 'PutItem', gzipSync(inflated), { 'Content-Encoding': 'gzip' });
    assert.equal(res.status, 413);
    assert.equal(await stored('huge'), undefined);
  });

  it('compresses answers of 4 KiB or more when asked, with the checksum of the compressed bytes', async () => {
    const getBig = { TableName: 'Wire', Key: { id: { S: 'big' } } };
    const plain = await callRaw(server.endpoint, 'GetItem', JSON.stringify(getBig));
    assert.equal(plain.headers['content-encoding'], undefined);
    for (const [accept, encoding, expand] of [['gzip', 'gzip', gunzipSync], ['deflate', 'deflate', inflateSync], ['br, gzip;q=0.5, deflate', 'deflate', inflateSync]] as const) {
      const res = await callRaw(server.endpoint, 'GetItem', JSON.stringify(getBig), { 'Accept-Encoding': accept });
      assert.equal(res.status, 200);
      assert.equal(res.headers['content-encoding'], encoding, accept);
      assert.equal(res.headers['content-length'], String(res.bytes.length));
      assert.equal(res.headers['x-amz-crc32'], String(crc32(res.bytes)));
      assert.equal(expand(res.bytes).toString('utf8'), plain.body);
      assert.ok(res.bytes.length < plain.body.length / 10, `${res.bytes.length} bytes compressed`);
    }
    // Under 4 KiB, or not asked for: as it is.
    const small = await callRaw(server.endpoint, 'GetItem', JSON.stringify({ TableName: 'Wire', Key: { id: { S: 'small' } } }), { 'Accept-Encoding': 'gzip' });
    assert.deepEqual([small.headers['content-encoding'], small.body], [undefined, '{"Item":{"id":{"S":"small"},"v":{"S":"tiny"}}}']);
    const refused = await callRaw(server.endpoint, 'GetItem', JSON.stringify(getBig), { 'Accept-Encoding': 'gzip;q=0, x-gzip' });
    assert.equal(refused.headers['content-encoding'], undefined);
    // An error answer over 4 KiB is compressed too.
    const error = await callRaw(server.endpoint, 'GetItem', JSON.stringify({ TableName: 'W'.repeat(5000), Key: {} }), { 'Accept-Encoding': 'gzip' });
    assert.equal(error.status, 400);
    assert.equal(error.headers['content-encoding'], 'gzip');
    assert.equal(JSON.parse(gunzipSync(error.bytes).toString('utf8'))['__type'], 'com.amazon.coral.validate#ValidationException');
  });

  it('answers in the JSON type it was asked in, with Server: Server', async () => {
    for (const type of ['application/x-amz-json-1.0', 'application/x-amz-json-1.1', 'application/json']) {
      const ok = await callRaw(server.endpoint, 'ListTables', '{}', { 'Content-Type': type });
      assert.deepEqual([ok.status, ok.headers['content-type'], ok.headers['server']], [200, type, 'Server']);
      const bad = await callRaw(server.endpoint, 'GetItem', '{}', { 'Content-Type': type });
      assert.deepEqual([bad.status, bad.headers['content-type'], bad.headers['server']], [400, type, 'Server']);
    }
  });

  it('spells the message key as AWS does: Message for SerializationException, message for the rest', async () => {
    const serialization = await callRaw(server.endpoint, 'GetItem', '{"TableName":{}}');
    assert.equal(serialization.body, '{"__type":"com.amazon.coral.service#SerializationException","Message":"Start of structure or map found where not expected"}');
    const validation = await callRaw(server.endpoint, 'GetItem', '{"TableName":"Wire","Key":{}}');
    assert.equal(validation.body, '{"__type":"com.amazon.coral.validate#ValidationException","message":"The provided key element does not match the schema"}');
    const missing = await callRaw(server.endpoint, 'GetItem', '{"TableName":"Nope","Key":{"id":{"S":"a"}}}');
    assert.equal(missing.body, '{"__type":"com.amazonaws.dynamodb.v20120810#ResourceNotFoundException","message":"Requested resource not found"}');
  });

  it('answers headers past the limit with 400, not 431, and keeps serving', async () => {
    const answer = await new Promise<string>((resolve, reject) => {
      const url = new URL(server.endpoint);
      const socket = connect(Number(url.port), url.hostname, () => {
        socket.write(`POST / HTTP/1.1\r\nHost: ${url.host}\r\nX-Padding: ${'p'.repeat(64 * 1024)}\r\nContent-Length: 2\r\n\r\n{}`);
      });
      let text = '';
      socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
      socket.on('close', () => resolve(text));
      socket.on('error', reject);
    });
    assert.equal(answer.split('\r\n')[0], 'HTTP/1.1 400 Bad Request');
    assert.equal((await callRaw(server.endpoint, 'ListTables', '{}')).status, 200);
  });

  it('answers other methods, and POSTs of other content types, with 404 <UnknownOperationException/>', async () => {
    for (const method of ['PUT', 'DELETE', 'PATCH']) {
      const res = await rawRequest(server.endpoint, { method, headers: { 'Content-Type': 'application/x-amz-json-1.0', ...authHeaders }, body: '{}' });
      assert.deepEqual([res.status, res.body], [404, '<UnknownOperationException/>\n'], method);
    }
    const xml = await rawRequest(server.endpoint, { headers: { 'Content-Type': 'text/xml', ...authHeaders }, body: '{}' });
    assert.deepEqual([xml.status, xml.body], [404, '<UnknownOperationException/>\n']);
  });
});
