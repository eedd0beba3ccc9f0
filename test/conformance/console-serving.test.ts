// How the server serves the console's files: from memory under /console, compressed (Brotli, gzip),
// revalidated by ETag, with a Content-Security-Policy that keeps the page to its own origin; on by
// default on loopback, off with --console off and off elsewhere unless asked; and a page of the
// server's own origin allowed to call it off loopback only when requests are authenticated.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { startAuthServer } from '../helpers/auth.js';
import { authHeaders, rawRequest } from '../helpers/raw-request.js';
import { localOnly, startServerProcess, type ServerProcess } from '../helpers/server-process.js';

const csp = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";
const dynamoDbLocalAnswer = { __type: 'com.amazonaws.dynamodb.v20120810#MissingAuthenticationToken', message: 'Request must contain either a valid (registered) AWS access key ID or X.509 certificate.' };

describe('console files', localOnly, () => {
  let server: ServerProcess;
  before(async () => {
    server = await startServerProcess();
  });
  after(async () => server.dispose());

  it('serves index.html at /console and /console/, naming its hashed script and stylesheet', async () => {
    for (const path of ['/console', '/console/']) {
      const res = await rawRequest(server.endpoint, { method: 'GET', path });
      assert.equal(res.status, 200);
      assert.equal(res.headers['content-type'], 'text/html; charset=utf-8');
      assert.equal(res.headers['content-security-policy'], csp);
      assert.equal(res.headers['x-content-type-options'], 'nosniff');
      assert.equal(res.headers['cache-control'], 'no-cache');
      assert.match(res.body, /<script type="module" src="\/console\/main-[A-Z0-9]{8}\.js"><\/script>/);
      assert.match(res.body, /<link rel="stylesheet" href="\/console\/main-[A-Z0-9]{8}\.css">/);
    }
    assert.match(server.output(), /console: http:\/\/127\.0\.0\.1:\d+\/console\n/);
  });

  it('compresses with Brotli or gzip as the browser accepts, caches hashed files for good, and answers 304 to a known ETag', async () => {
    const page = await rawRequest(server.endpoint, { method: 'GET', path: '/console' });
    const script = /src="(\/console\/main-[A-Z0-9]{8}\.js)"/.exec(page.body)?.[1] ?? '';
    const plain = await rawRequest(server.endpoint, { method: 'GET', path: script });
    assert.equal(plain.status, 200);
    assert.equal(plain.headers['content-type'], 'text/javascript; charset=utf-8');
    assert.equal(plain.headers['content-encoding'], undefined);
    assert.equal(plain.headers['cache-control'], 'public, max-age=31536000, immutable');
    const br = await rawRequest(server.endpoint, { method: 'GET', path: script, headers: { 'Accept-Encoding': 'gzip, deflate, br' } });
    assert.equal(br.headers['content-encoding'], 'br');
    assert.deepEqual(brotliDecompressSync(br.bytes), plain.bytes);
    assert.ok(br.bytes.length < plain.bytes.length / 2);
    const gzip = await rawRequest(server.endpoint, { method: 'GET', path: script, headers: { 'Accept-Encoding': 'br;q=0, gzip' } });
    assert.equal(gzip.headers['content-encoding'], 'gzip');
    assert.deepEqual(gunzipSync(gzip.bytes), plain.bytes);
    const again = await rawRequest(server.endpoint, { method: 'GET', path: script, headers: { 'If-None-Match': String(plain.headers['etag']) } });
    assert.equal(again.status, 304);
    assert.equal(again.body, '');
  });

  it('answers any other path as DynamoDB Local answers a GET', async () => {
    for (const path of ['/console/nope.js', '/console/../package.json', '/console/a/index.html', '/consoles']) {
      const res = await rawRequest(server.endpoint, { method: 'GET', path });
      assert.equal(res.status, 400, path);
      assert.deepEqual(res.json(), dynamoDbLocalAnswer, path);
    }
  });
});

describe('console switched off', localOnly, () => {
  let server: ServerProcess;
  before(async () => {
    server = await startServerProcess({ args: ['--console', 'off'] });
  });
  after(async () => server.dispose());

  it('serves nothing under /console', async () => {
    const res = await rawRequest(server.endpoint, { method: 'GET', path: '/console' });
    assert.equal(res.status, 400);
    assert.deepEqual(res.json(), dynamoDbLocalAnswer);
    assert.doesNotMatch(server.output(), /console:/);
  });
});

describe('console beyond loopback (--auth sigv4)', localOnly, () => {
  let off: ServerProcess;
  let on: ServerProcess;
  before(async () => {
    [off, on] = await Promise.all([startAuthServer('sigv4', ['--host', '0.0.0.0']), startAuthServer('sigv4', ['--host', '0.0.0.0', '--console', 'on'])]);
  });
  after(async () => Promise.all([off.dispose(), on.dispose()]));

  it('is off unless --console on', async () => {
    const endpoint = (s: ServerProcess): string => s.endpoint.replace('0.0.0.0', '127.0.0.1');
    assert.equal((await rawRequest(endpoint(off), { method: 'GET', path: '/console' })).status, 400);
    assert.equal((await rawRequest(endpoint(on), { method: 'GET', path: '/console' })).status, 200);
  });

  it('lets a page of the server\'s own origin call it, and no other origin', async () => {
    const endpoint = on.endpoint.replace('0.0.0.0', '127.0.0.1');
    const host = `db.internal:${new URL(endpoint).port}`;
    const call = (origin: string) => rawRequest(endpoint, {
      headers: { Host: host, Origin: origin, 'Content-Type': 'application/x-amz-json-1.0', 'X-Amz-Target': 'DynamoDB_20120810.ListTables' }, body: '{}',
    });
    // Same origin: past the origin check, to the signature check (this request is unsigned).
    const same = await call(`http://${host}`);
    assert.equal(same.status, 400);
    assert.equal(same.headers['access-control-allow-origin'], `http://${host}`);
    assert.equal(same.json()['__type'], 'com.amazon.coral.service#MissingAuthenticationTokenException');
    for (const origin of ['http://other.internal:' + new URL(endpoint).port, `https://${host}`, 'http://db.internal']) {
      const res = await call(origin);
      assert.equal(res.status, 403, origin);
      assert.equal(res.json()['Message'], `Origin '${origin}' is not allowed: StratusDB grants browser access to loopback origins only (name others with --cors)`);
    }
  });
});

describe('console beyond loopback without authentication (--auth none)', localOnly, () => {
  let server: ServerProcess;
  before(async () => {
    server = await startServerProcess({ args: ['--host', '0.0.0.0', '--auth', 'none', '--console', 'on'] });
  });
  after(async () => server.dispose());

  it('does not grant its own origin: DNS rebinding would make any page same-origin', async () => {
    const endpoint = server.endpoint.replace('0.0.0.0', '127.0.0.1');
    const host = `db.internal:${new URL(endpoint).port}`;
    const res = await rawRequest(endpoint, {
      headers: { Host: host, Origin: `http://${host}`, 'Content-Type': 'application/x-amz-json-1.0', 'X-Amz-Target': 'DynamoDB_20120810.ListTables', ...authHeaders }, body: '{}',
    });
    assert.equal(res.status, 403);
    assert.equal(res.json()['Message'], `Origin 'http://${host}' is not allowed: StratusDB grants browser access to loopback origins only (name others with --cors)`);
  });
});
