// HTTPS with --tls-cert / --tls-key: the SDK talks to the server over TLS (keep-alive, as over HTTP),
// plain HTTP to that port gets no answer, aws:SecureTransport is true for --auth iam's conditions, and
// a key or certificate that cannot be used stops the start with a message. The certificate is made
// for the test with openssl (skipped, with the reason, without it).
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { localOnly, startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { newUser, root } from '../helpers/auth.js';
import { rejects } from '../helpers/rejects.js';
import { loopbackCertificate, opensslMissing } from '../helpers/certificate.js';

const missing = opensslMissing('the test certificate');
if (missing !== false) console.log(`# skipped: ${missing}`);

describe('HTTPS (--tls-cert, --tls-key)', { skip: localOnly.skip || missing }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'stratusdb-tls-'));
  let cert = '';
  let key = '';
  let server: ServerProcess;
  let agent: Agent;
  const clients: DynamoDBClient[] = [];
  const client = (credentials: { accessKeyId: string; secretAccessKey: string }): DynamoDBClient => {
    const made = new DynamoDBClient({ endpoint: server.endpoint, region: 'us-east-1', credentials, maxAttempts: 1, requestHandler: { httpsAgent: agent } });
    clients.push(made);
    return made;
  };
  before(async () => {
    ({ cert, key } = loopbackCertificate(dir));
    agent = new Agent({ ca: readFileSync(cert), keepAlive: true });
    server = await startServerProcess({ args: ['--tls-cert', cert, '--tls-key', key, '--auth', 'iam'], env: { STRATUSDB_ROOT_ACCESS_KEY_ID: root.accessKeyId, STRATUSDB_ROOT_SECRET_ACCESS_KEY: root.secretAccessKey } });
  });
  after(async () => {
    for (const c of clients) c.destroy();
    agent.destroy();
    await server.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves the SDK over TLS, and nothing over plain HTTP', async () => {
    assert.match(server.endpoint, /^https:\/\/127\.0\.0\.1:\d+$/);
    assert.deepEqual((await client(root).send(new ListTablesCommand({}))).TableNames, []);
    await assert.rejects(fetch(server.endpoint.replace('https:', 'http:'), { method: 'POST', body: '{}' }));
  });

  it('sets aws:SecureTransport for conditions', async () => {
    const overTls = await newUser(server, 'tls-only', {
      Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'dynamodb:ListTables', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'true' } } }],
    }, { requestHandler: { httpsAgent: agent } });
    assert.deepEqual((await client(overTls).send(new ListTablesCommand({}))).TableNames, []);
    const plain = await newUser(server, 'plain-only', {
      Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'dynamodb:ListTables', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }],
    }, { requestHandler: { httpsAgent: agent } });
    await rejects(client(plain).send(new ListTablesCommand({})), 'AccessDeniedException',
      'User: arn:aws:iam::000000000000:user/plain-only is not authorized to perform: dynamodb:ListTables on resource: * because no identity-based policy allows the dynamodb:ListTables action');
  });

  it('refuses to start with a key that is not one', async () => {
    const bad = join(dir, 'bad.pem');
    writeFileSync(bad, 'not a key');
    await assert.rejects(startServerProcess({ args: ['--tls-cert', cert, '--tls-key', bad] }), (error: Error) => error.message.includes(`--tls-cert ${cert} / --tls-key ${bad}:`));
    await assert.rejects(startServerProcess({ args: ['--tls-cert', cert] }), (error: Error) => error.message.includes('HTTPS needs both --tls-cert and --tls-key'));
  });
});
