// A web page must not reach the data of an unauthenticated server: CORS only for loopback origins
// (or exactly the --cors list), never "null"; requests from other origins refused before they run;
// a Host header naming a foreign name (DNS rebinding) refused while the server is on loopback.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CreateTableCommand, ScanCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { startServerProcess, type ServerProcess, localOnly } from '../helpers/server-process.js';
import { callRaw, rawRequest } from '../helpers/raw-request.js';
import { onDemandTable } from '../helpers/tables.js';

const put = (id: string) => JSON.stringify({ TableName: 'Browser', Item: { id: { S: id } } });
const accessDenied = 'com.amazon.coral.service#AccessDeniedException';

function preflight(endpoint: string, origin: string) {
  return rawRequest(endpoint, {
    method: 'OPTIONS',
    headers: { Origin: origin, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type,x-amz-target' },
  });
}

async function storedIds(db: DynamoDBClient): Promise<string[]> {
  return ((await db.send(new ScanCommand({ TableName: 'Browser' }))).Items ?? []).map((i) => i['id']?.S as string).sort();
}

describe('browser access, by default', () => {
  let server: ServerProcess;
  let db: DynamoDBClient;
  let port: string;
  before(async () => {
    server = await startServerProcess();
    db = server.client();
    port = new URL(server.endpoint).port;
    await db.send(new CreateTableCommand(onDemandTable('Browser', ['id', 'S'])));
  });
  after(async () => server.dispose());

  it('grants loopback origins, echoing the origin', async () => {
    for (const origin of ['http://localhost:3000', 'http://127.0.0.1:5173', 'https://app.localhost', 'http://[::1]:8080']) {
      const pre = await preflight(server.endpoint, origin);
      assert.equal(pre.status, 200, origin);
      assert.equal(pre.headers['access-control-allow-origin'], origin);
      assert.equal(pre.headers['access-control-allow-methods'], 'GET, POST');
      assert.equal(pre.headers['access-control-max-age'], '7200');
      const res = await callRaw(server.endpoint, 'PutItem', put(origin), { Origin: origin });
      assert.equal(res.status, 200, origin);
      assert.equal(res.headers['access-control-allow-origin'], origin);
    }
    assert.equal((await storedIds(db)).length, 4);
  });

  it('refuses every other origin, and "null", before the request runs', localOnly, async () => {
    for (const origin of ['https://evil.example', 'null', 'http://localhost.evil.example', 'http://127.0.0.1.evil.example', 'file://']) {
      const pre = await preflight(server.endpoint, origin);
      assert.equal(pre.status, 403, origin);
      assert.equal(pre.headers['access-control-allow-origin'], undefined);
      const res = await callRaw(server.endpoint, 'PutItem', put(`from ${origin}`), { Origin: origin });
      assert.equal(res.status, 403, origin);
      assert.equal(res.headers['access-control-allow-origin'], undefined);
      assert.equal(res.json()['__type'], accessDenied);
      assert.equal(res.json()['Message'], `Origin '${origin}' is not allowed: StratusDB grants browser access to loopback origins only (name others with --cors)`);
      const status = await rawRequest(server.endpoint, { method: 'GET', path: '/stratusdb/triggers', headers: { Origin: origin } });
      assert.equal(status.status, 403);
    }
    assert.ok((await storedIds(db)).every((id) => !id.startsWith('from ')));
  });

  it('answers only local Host names (no DNS rebinding)', async () => {
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`, `api.localhost:${port}`, 'localhost']) {
      const res = await callRaw(server.endpoint, 'ListTables', '{}', { Host: host });
      assert.equal(res.status, 200, host);
    }
    for (const host of [`rebind.evil.example:${port}`, 'evil.example', `192.168.1.10:${port}`]) {
      const res = await callRaw(server.endpoint, 'PutItem', put(`host ${host}`), { Host: host });
      assert.equal(res.status, 403, host);
      assert.deepEqual(res.json(), {
        __type: accessDenied,
        Message: `Host '${host}' is not allowed: this server listens on loopback and answers local host names only (name others with --allowed-hosts)`,
      });
    }
    assert.ok((await storedIds(db)).every((id) => !id.startsWith('host ')));
  });
});

describe('browser access, with --cors and --allowed-hosts', localOnly, () => {
  let listed: ServerProcess;
  let any: ServerProcess;
  before(async () => {
    listed = await startServerProcess({ args: ['--cors', 'https://good.example,http://localhost:3000', '--allowed-hosts', 'dev.internal'] });
    any = await startServerProcess({ args: ['-cors', '*'] });
  });
  after(async () => {
    await listed.dispose();
    await any.dispose();
  });

  it('grants exactly the listed origins', async () => {
    assert.equal((await preflight(listed.endpoint, 'https://good.example')).headers['access-control-allow-origin'], 'https://good.example');
    assert.equal((await preflight(listed.endpoint, 'https://GOOD.example:443')).status, 200);
    assert.equal((await preflight(listed.endpoint, 'http://localhost:3000')).status, 200);
    assert.equal((await preflight(listed.endpoint, 'http://localhost:4000')).status, 403);
    assert.equal((await preflight(listed.endpoint, 'https://good.example.evil')).status, 403);
  });

  it('answers the named hosts', async () => {
    const port = new URL(listed.endpoint).port;
    assert.equal((await callRaw(listed.endpoint, 'ListTables', '{}', { Host: `dev.internal:${port}` })).status, 200);
    assert.equal((await callRaw(listed.endpoint, 'ListTables', '{}', { Host: `other.internal:${port}` })).status, 403);
  });

  it('grants every origin but "null" with *', async () => {
    const pre = await preflight(any.endpoint, 'https://anywhere.example');
    assert.equal(pre.status, 200);
    assert.equal(pre.headers['access-control-allow-origin'], '*');
    assert.equal((await preflight(any.endpoint, 'null')).status, 403);
  });
});
