// The server's own status pages (GET /stratusdb/triggers, /stratusdb/metrics, /stratusdb/cost) on a
// server that verifies requests (--auth iam): each answers only a request signed by a known key whose
// caller IAM allows the action of the AWS API it mirrors — Lambda's ListEventSourceMappings,
// CloudWatch's GetMetricData, Cost Explorer's GetCostAndUsage. Unsigned, wrongly signed and
// unauthorized requests get DynamoDB's exceptions; `stratusdb cost` signs with the AWS environment.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { SignatureV4 } from '@smithy/signature-v4';
import { CreateTableCommand } from '@aws-sdk/client-dynamodb';
import { localOnly, type ServerProcess } from '../helpers/server-process.js';
import { until } from '../helpers/until.js';
import { destroyClients, dynamo, exception, newUser, root, Sha256, startAuthServer, type Credentials, type TestUser } from '../helpers/auth.js';

const run = promisify(execFile);
const cliPath = new URL('../../bin/stratusdb.mjs', import.meta.url).pathname;

interface Answer {
  readonly status: number;
  readonly contentType: string | undefined;
  readonly body: Record<string, unknown>;
}

/** GET `path`: unsigned, or signed by `credentials` (in its headers, or presigned in its query). */
async function get(server: ServerProcess, path: string, credentials?: Credentials, presign = false): Promise<Answer> {
  const url = new URL(server.endpoint);
  let target = path;
  let headers: Record<string, string> = {};
  if (credentials !== undefined) {
    const signer = new SignatureV4({ service: 'dynamodb', region: 'us-east-1', credentials, sha256: Sha256 });
    const request = { method: 'GET', protocol: 'http:', hostname: url.hostname, port: Number(url.port), path, query: {}, headers: { host: url.host } };
    if (presign) {
      const presigned = await signer.presign(request, { expiresIn: 300 });
      target = `${path}?${new URLSearchParams(presigned.query as Record<string, string>).toString()}`;
    } else {
      headers = (await signer.sign(request)).headers;
    }
  }
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: url.hostname, port: url.port, method: 'GET', path: target, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, contentType: res.headers['content-type'], body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown> }));
    });
    req.on('error', reject);
    req.end();
  });
}

const denied = (user: TestUser, action: string): string =>
  `User: arn:aws:iam::000000000000:user/${user.userName} is not authorized to perform: ${action} on resource: * because no identity-based policy allows the ${action} action`;

describe('status pages with --auth iam', localOnly, () => {
  let server: ServerProcess;
  let watcher: TestUser;

  const auditLog = join(mkdtempSync(join(tmpdir(), 'stratusdb-test-audit-')), 'audit.jsonl');

  before(async () => {
    server = await startAuthServer('iam', ['--audit-log', auditLog]);
    await dynamo(server).send(new CreateTableCommand({
      TableName: 'Counted', BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    }));
    watcher = await newUser(server, 'watcher', { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'cloudwatch:GetMetricData', Resource: '*' }] });
  });
  after(async () => {
    destroyClients();
    await server?.dispose();
    rmSync(dirname(auditLog), { recursive: true, force: true });
  });

  it('refuses an unsigned request, and one signed with a wrong secret, with DynamoDB\'s exceptions', async () => {
    for (const path of ['/stratusdb/triggers', '/stratusdb/metrics', '/stratusdb/cost']) {
      const unsigned = await get(server, path);
      assert.deepEqual([unsigned.status, unsigned.contentType, exception(unsigned.body)], [400, 'application/x-amz-json-1.0', { name: 'MissingAuthenticationTokenException', message: 'Request is missing Authentication Token' }]);
      const forged = await get(server, path, { accessKeyId: root.accessKeyId, secretAccessKey: 'not-the-secret' });
      assert.equal(forged.status, 400);
      assert.equal(exception(forged.body).name, 'InvalidSignatureException');
      assert.match(exception(forged.body).message ?? '', /^The request signature we calculated does not match the signature you provided\./);
      const unknown = await get(server, path, { accessKeyId: 'AKIANOSUCHKEY0000000', secretAccessKey: 'x' });
      assert.deepEqual([unknown.status, exception(unknown.body)], [400, { name: 'UnrecognizedClientException', message: 'The security token included in the request is invalid.' }]);
    }
  });

  it('answers the root, signed in the headers or presigned', async () => {
    const triggers = await get(server, '/stratusdb/triggers', root);
    assert.deepEqual([triggers.status, triggers.body], [200, { triggers: [] }]);
    const metrics = await get(server, '/stratusdb/metrics', root, true);
    assert.equal(metrics.status, 200);
    assert.deepEqual((metrics.body['operations'] as Record<string, unknown>)['CreateTable'], { requests: 1, errors: {} });
    const cost = await get(server, '/stratusdb/cost', root);
    assert.equal(cost.status, 200);
    assert.deepEqual(Object.keys(cost.body).sort(), ['prices', 'tables']);
  });

  it('answers a user only the pages its policies allow', async () => {
    const metrics = await get(server, '/stratusdb/metrics', watcher);
    assert.equal(metrics.status, 200);
    assert.deepEqual(Object.keys(metrics.body).sort(), ['background', 'operations', 'replication', 'strongWritesHeld', 'tables']);
    const triggers = await get(server, '/stratusdb/triggers', watcher);
    assert.deepEqual([triggers.status, exception(triggers.body)], [400, { name: 'AccessDeniedException', message: denied(watcher, 'lambda:ListEventSourceMappings') }]);
    const cost = await get(server, '/stratusdb/cost', watcher);
    assert.deepEqual([cost.status, exception(cost.body)], [400, { name: 'AccessDeniedException', message: denied(watcher, 'ce:GetCostAndUsage') }]);
    // Each is in the audit log, as an operation of its own (written as the stream gets to it).
    const entries = (): Record<string, unknown>[] => {
      const text = readFileSync(auditLog, 'utf8');
      // Whole lines only: the last may be on its way.
      return text.slice(0, text.lastIndexOf('\n') + 1).split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as Record<string, unknown>).filter((l) => l['principal'] === 'arn:aws:iam::000000000000:user/watcher');
    };
    await until(async () => entries().length === 3, 'the three requests to be in the audit log');
    const lines = entries();
    assert.deepEqual(lines.map((l) => [l['principal'], l['operation'], l['decision'], l['actions'], l['error']]), [
      ['arn:aws:iam::000000000000:user/watcher', 'GET /stratusdb/metrics', 'allow', [{ action: 'cloudwatch:GetMetricData', resource: '*' }], undefined],
      ['arn:aws:iam::000000000000:user/watcher', 'GET /stratusdb/triggers', 'deny', [{ action: 'lambda:ListEventSourceMappings', resource: '*' }], 'AccessDeniedException'],
      ['arn:aws:iam::000000000000:user/watcher', 'GET /stratusdb/cost', 'deny', [{ action: 'ce:GetCostAndUsage', resource: '*' }], 'AccessDeniedException'],
    ]);
  });

  it('`stratusdb cost` signs with the AWS environment: the root\'s key is answered, an unknown one refused', async () => {
    const env = { ...process.env, AWS_REGION: 'us-east-1' };
    const { stdout } = await run(process.execPath, [cliPath, 'cost', '--endpoint', server.endpoint, '--json'], { env: { ...env, AWS_ACCESS_KEY_ID: root.accessKeyId, AWS_SECRET_ACCESS_KEY: root.secretAccessKey } });
    // The CLI prints the page the root is answered.
    assert.deepEqual((JSON.parse(stdout) as { prices: unknown }).prices, (await get(server, '/stratusdb/cost', root)).body['prices']);
    await assert.rejects(run(process.execPath, [cliPath, 'cost', '--endpoint', server.endpoint], { env: { ...env, AWS_ACCESS_KEY_ID: 'AKIANOSUCHKEY0000000', AWS_SECRET_ACCESS_KEY: 'x' } }), (error: { code: number; stderr: string }) => {
      assert.equal(error.code, 1);
      assert.equal(error.stderr, 'stratusdb: UnrecognizedClientException: The security token included in the request is invalid.\n');
      return true;
    });
  });

  it('`stratusdb triggers` signs with the AWS environment too; a user without the permission is told IAM\'s refusal', async () => {
    const env = { ...process.env, AWS_REGION: 'us-east-1' };
    const { stdout } = await run(process.execPath, [cliPath, 'triggers', '--endpoint', server.endpoint], { env: { ...env, AWS_ACCESS_KEY_ID: root.accessKeyId, AWS_SECRET_ACCESS_KEY: root.secretAccessKey } });
    assert.equal(stdout, 'No triggers (declare them in stratusdb.config.json; see the README).\n');
    await assert.rejects(run(process.execPath, [cliPath, 'triggers', '--endpoint', server.endpoint], { env: { ...env, AWS_ACCESS_KEY_ID: watcher.accessKeyId, AWS_SECRET_ACCESS_KEY: watcher.secretAccessKey } }), (error: { code: number; stderr: string }) => {
      assert.equal(error.code, 1);
      assert.equal(error.stderr, `stratusdb: cannot read triggers from ${server.endpoint}: AccessDeniedException: ${denied(watcher, 'lambda:ListEventSourceMappings')}\n`);
      return true;
    });
  });
});
