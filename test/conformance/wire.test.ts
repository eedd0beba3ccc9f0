// The HTTP envelope: routing, authentication structure, body limit, headers, GET answers, CORS.
import assert from 'node:assert/strict';
import { crc32 } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { authHeaders, callRaw, rawRequest } from '../helpers/raw-request.js';

const S = 'com.amazon.coral.service#';

describe('wire protocol', () => {
  let server: ServerProcess;
  before(async () => {
    server = await startServerProcess();
  });
  after(async () => server.dispose());

  it('signs every reply with a request id and the CRC32 of its body', async () => {
    const res = await callRaw(server.endpoint, 'ListTables', '{}');
    assert.equal(res.status, 200);
    assert.equal(res.body, '{"TableNames":[]}');
    assert.equal(res.headers['x-amz-crc32'], String(crc32(Buffer.from(res.body))));
    assert.match(String(res.headers['x-amzn-requestid']), /^[0-9A-F]{52}$/);
    assert.equal(res.headers['content-type'], 'application/x-amz-json-1.0');
  });

  it('accepts application/x-amz-json-1.1 and answers in kind', async () => {
    const res = await callRaw(server.endpoint, 'ListTables', '{}', { 'Content-Type': 'application/x-amz-json-1.1' });
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-type'], 'application/x-amz-json-1.1');
  });

  const envelope: readonly { name: string; headers: Record<string, string>; body: string; type: string; message?: string }[] = [
    { name: 'unknown operation', headers: { 'X-Amz-Target': 'DynamoDB_20120810.Frobnicate' }, body: '{}', type: 'UnknownOperationException' },
    { name: 'unknown service', headers: { 'X-Amz-Target': 'Kinesis_20131202.ListStreams' }, body: '{}', type: 'UnknownOperationException' },
    { name: 'no target', headers: { 'X-Amz-Target': '' }, body: '{}', type: 'UnknownOperationException' },
    { name: 'malformed JSON', headers: {}, body: '{"TableName":', type: 'SerializationException' },
    { name: 'empty body', headers: {}, body: '', type: 'SerializationException' },
    { name: 'no Authorization', headers: { Authorization: '' }, body: '{}', type: 'MissingAuthenticationTokenException', message: 'Request is missing Authentication Token' },
    { name: 'non-SigV4 Authorization', headers: { Authorization: 'Basic abc' }, body: '{}', type: 'MissingAuthenticationTokenException', message: 'Request is missing Authentication Token' },
    {
      name: 'Authorization without its parts', headers: { Authorization: 'AWS4-HMAC-SHA256 Signature=x', 'X-Amz-Date': '' }, body: '{}', type: 'IncompleteSignatureException',
      message: "Authorization header requires 'Credential' parameter. Authorization header requires 'SignedHeaders' parameter. Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=AWS4-HMAC-SHA256 Signature=x",
    },
    {
      name: 'credential scope with 4 parts', headers: { Authorization: 'AWS4-HMAC-SHA256 Credential=a/b/c/d, SignedHeaders=host, Signature=x' }, body: '{}', type: 'IncompleteSignatureException',
      message: "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got 'a/b/c/d'",
    },
  ];
  for (const c of envelope) {
    it(`answers ${c.name} with ${c.type}`, async () => {
      const headers: Record<string, string> = { 'Content-Type': 'application/x-amz-json-1.0', 'X-Amz-Target': 'DynamoDB_20120810.ListTables', ...authHeaders, ...c.headers };
      for (const [k, v] of Object.entries(headers)) if (v === '') delete headers[k];
      const res = await rawRequest(server.endpoint, { headers, body: c.body });
      assert.equal(res.status, 400);
      assert.deepEqual(res.json(), c.message === undefined ? { __type: S + c.type } : { __type: S + c.type, message: c.message });
    });
  }

  it('checks presigned query-string authentication', async () => {
    const res = await rawRequest(server.endpoint, {
      path: '/?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=a%2F20261121%2Fus-east-1%2Fdynamodb%2Faws4_request',
      headers: { 'Content-Type': 'application/x-amz-json-1.0', 'X-Amz-Target': 'DynamoDB_20120810.ListTables' },
      body: '{}',
    });
    assert.equal(res.json()['__type'], `${S}IncompleteSignatureException`);
    assert.equal(res.json()['message'], "AWS query-string parameters must include 'X-Amz-Signature'. AWS query-string parameters must include 'X-Amz-SignedHeaders'. AWS query-string parameters must include 'X-Amz-Date'. Re-examine the query-string parameters.");
  });

  it('refuses bodies over 16 MB with 413 and stays up', async () => {
    const res = await callRaw(server.endpoint, 'ListTables', ' '.repeat(16 * 1024 * 1024 + 1));
    assert.equal(res.status, 413);
    const ok = await server.client().send(new ListTablesCommand({}));
    assert.deepEqual(ok.TableNames, []);
  });

  it('answers GET / like DynamoDB Local, and GET /health and /health/ready with 200', async () => {
    const root = await rawRequest(server.endpoint, { method: 'GET' });
    assert.equal(root.status, 400);
    assert.equal(root.json()['__type'], 'com.amazonaws.dynamodb.v20120810#MissingAuthenticationToken');
    const health = await rawRequest(server.endpoint, { method: 'GET', path: '/health' });
    assert.equal(health.status, 200);
    assert.deepEqual(health.json(), { status: 'ok' });
    const ready = await rawRequest(server.endpoint, { method: 'GET', path: '/health/ready' });
    assert.equal(ready.status, 200);
    assert.deepEqual(ready.json(), { status: 'ready' });
  });

  it('answers CORS preflight and exposes headers to browsers', async () => {
    const pre = await rawRequest(server.endpoint, {
      method: 'OPTIONS',
      headers: { Origin: 'http://localhost:3000', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type,x-amz-target,authorization' },
    });
    assert.equal(pre.status, 200);
    assert.equal(pre.headers['access-control-allow-origin'], 'http://localhost:3000');
    assert.equal(pre.headers['access-control-allow-methods'], 'GET, POST');
    assert.equal(pre.headers['access-control-allow-headers'], 'content-type,x-amz-target,authorization');
    const res = await callRaw(server.endpoint, 'ListTables', '{}', { Origin: 'http://localhost:3000' });
    assert.equal(res.headers['access-control-allow-origin'], 'http://localhost:3000');
    assert.equal(res.headers['vary'], 'Origin');
    assert.match(String(res.headers['access-control-expose-headers']), /x-amzn-RequestId/);
  });

  it('routes the same table to the region of the credential', async () => {
    const west = { Authorization: authHeaders.Authorization.replace('us-east-1', 'eu-west-1') };
    const created = await callRaw(server.endpoint, 'CreateTable', JSON.stringify({
      TableName: 'Wired', BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    }), west);
    assert.equal(created.status, 200);
    assert.equal((created.json()['TableDescription'] as Record<string, unknown>)['TableArn'], 'arn:aws:dynamodb:eu-west-1:000000000000:table/Wired');
    // Members in DynamoDB's order on the wire, whatever order the request's shape checks them in.
    assert.ok(created.body.startsWith('{"TableDescription":{"AttributeDefinitions":[{"AttributeName":"id","AttributeType":"S"}],"TableName":"Wired",'), created.body);
    assert.deepEqual((await callRaw(server.endpoint, 'ListTables', '{}')).json(), { TableNames: [] });
  });
});
