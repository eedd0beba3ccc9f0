// SigV4 verified (--auth sigv4) against a real server: every request shape the SDKs and the AWS CLI
// send is accepted (header and presigned signatures, DynamoDB, Streams, CloudWatch, Application Auto
// Scaling, IAM and STS), and an attack corpus is refused with DynamoDB's exception and text, in
// DynamoDB's order of checks — dates out of the 15-minute window or malformed, Host not signed, an
// unknown algorithm, a scope of another region or service, an unknown key, an altered body or
// header, a header signed but missing or sent twice, a truncated signature, a presigned request past
// its expiry, a session token that is wrong or expired — and a refused write changes nothing.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { CreateTableCommand, GetItemCommand, ListTablesCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient, ListStreamsCommand } from '@aws-sdk/client-dynamodb-streams';
import { CloudWatchClient, ListMetricsCommand } from '@aws-sdk/client-cloudwatch';
import { ApplicationAutoScalingClient, DescribeScalableTargetsCommand } from '@aws-sdk/client-application-auto-scaling';
import { CreateRoleCommand, ListUsersCommand } from '@aws-sdk/client-iam';
import { AssumeRoleCommand, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { localOnly, type ServerProcess } from '../helpers/server-process.js';
import { destroyClients, dynamo, exception, iam, newUser, root, send, signed, startAuthServer, sts, type RawRequest } from '../helpers/auth.js';
import { rejects } from '../helpers/rejects.js';
import { awsCliMissing } from '../helpers/aws-cli.js';
import { noBoto3, pythonWithBoto3 } from '../helpers/trigger-project.js';

/** Python with boto3, for the boto3 case (skipped, with the reason, without one). */
const python = pythonWithBoto3();

const basic = /\d{8}T\d{6}Z/.source;
const mismatchStart = 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.\n\nThe Canonical String for this request should have been\n';

function header(raw: RawRequest, name: string): string {
  return raw.headers.find(([n]) => n.toLowerCase() === name)?.[1] as string;
}

function withHeader(raw: RawRequest, name: string, value: string | undefined): RawRequest {
  const others = raw.headers.filter(([n]) => n.toLowerCase() !== name);
  return { ...raw, headers: value === undefined ? others : [...others, [name, value]] };
}

describe('SigV4 verified (--auth sigv4)', localOnly, () => {
  let server: ServerProcess;
  before(async () => {
    server = await startAuthServer('sigv4', ['--test-clock']);
    await dynamo(server).send(new CreateTableCommand({
      TableName: 'Notes', BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    }));
  });
  after(async () => {
    destroyClients();
    await server.dispose();
  });

  it('accepts what the SDKs send: each service it serves, and a presigned request', async () => {
    assert.deepEqual((await dynamo(server).send(new ListTablesCommand({}))).TableNames, ['Notes']);
    const streams = new DynamoDBStreamsClient({ endpoint: server.endpoint, region: 'us-east-1', credentials: root, maxAttempts: 1 });
    const cloudWatch = new CloudWatchClient({ endpoint: server.endpoint, region: 'us-east-1', credentials: root, maxAttempts: 1 });
    const scaling = new ApplicationAutoScalingClient({ endpoint: server.endpoint, region: 'us-east-1', credentials: root, maxAttempts: 1 });
    try {
      assert.deepEqual((await streams.send(new ListStreamsCommand({}))).Streams, []);
      assert.ok(Array.isArray((await cloudWatch.send(new ListMetricsCommand({ Namespace: 'AWS/DynamoDB' }))).Metrics));
      assert.deepEqual((await scaling.send(new DescribeScalableTargetsCommand({ ServiceNamespace: 'dynamodb' }))).ScalableTargets, []);
    } finally {
      for (const c of [streams, cloudWatch, scaling]) c.destroy();
    }
    assert.deepEqual((await iam(server).send(new ListUsersCommand({}))).Users, []);
    assert.equal((await sts(server).send(new GetCallerIdentityCommand({}))).Arn, 'arn:aws:iam::000000000000:root');
    const presigned = await signed(server, 'ListTables', {}, { presignSeconds: 300 });
    const answer = await send(server, presigned);
    assert.equal(answer.status, 200);
    assert.deepEqual(answer.body['TableNames'], ['Notes']);
  });

  it('accepts boto3: DynamoDB, IAM and STS', { skip: python === undefined ? noBoto3 : false }, () => {
    const script = [
      'import boto3, json, sys',
      'kw = dict(endpoint_url=sys.argv[1], region_name="us-east-1", aws_access_key_id=sys.argv[2], aws_secret_access_key=sys.argv[3])',
      'tables = boto3.client("dynamodb", **kw).list_tables()["TableNames"]',
      'users = boto3.client("iam", **kw).list_users()["Users"]',
      'arn = boto3.client("sts", **kw).get_caller_identity()["Arn"]',
      'print(json.dumps({"tables": tables, "users": [u["UserName"] for u in users], "arn": arn}))',
    ].join('\n');
    const out = execFileSync(python as string, ['-c', script, server.endpoint, root.accessKeyId, root.secretAccessKey], { encoding: 'utf8' });
    assert.deepEqual(JSON.parse(out), { tables: ['Notes'], users: [], arn: 'arn:aws:iam::000000000000:root' });
    assert.throws(() => execFileSync(python as string, ['-c', script, server.endpoint, root.accessKeyId, 'not-the-secret'], { encoding: 'utf8', stdio: 'pipe' }), /InvalidSignatureException/);
  });

  it('accepts the AWS CLI', { skip: awsCliMissing() }, () => {
    const env = { ...process.env, AWS_ACCESS_KEY_ID: root.accessKeyId, AWS_SECRET_ACCESS_KEY: root.secretAccessKey, AWS_DEFAULT_REGION: 'us-east-1', AWS_PAGER: '' };
    const out = execFileSync('aws', ['dynamodb', 'list-tables', '--endpoint-url', server.endpoint, '--output', 'json'], { env, encoding: 'utf8' });
    assert.deepEqual(JSON.parse(out).TableNames, ['Notes']);
    const bad = { ...env, AWS_SECRET_ACCESS_KEY: 'not-the-secret' };
    assert.throws(() => execFileSync('aws', ['dynamodb', 'list-tables', '--endpoint-url', server.endpoint], { env: bad, encoding: 'utf8', stdio: 'pipe' }), /InvalidSignatureException/);
  });

  it('refuses dates outside the 15-minute window, and dates not in ISO 8601 basic format', async () => {
    const now = Date.now();
    const old = await signed(server, 'ListTables', {}, { date: new Date(now - 16 * 60_000) });
    const expired = exception((await send(server, old)).body);
    assert.equal(expired.name, 'InvalidSignatureException');
    assert.match(expired.message ?? '', new RegExp(`^Signature expired: ${header(old, 'x-amz-date')} is now earlier than ${basic} \\(${basic} - 15 min\\.\\)$`));
    const future = await signed(server, 'ListTables', {}, { date: new Date(now + 16 * 60_000) });
    const early = exception((await send(server, future)).body);
    assert.equal(early.name, 'InvalidSignatureException');
    assert.match(early.message ?? '', new RegExp(`^Signature not yet current: ${header(future, 'x-amz-date')} is still later than ${basic} \\(${basic} \\+ 15 min\\.\\)$`));
    const malformed = withHeader(await signed(server, 'ListTables', {}), 'x-amz-date', '2026');
    assert.deepEqual(exception((await send(server, malformed)).body), {
      name: 'IncompleteSignatureException', message: "Date must be in ISO-8601 'basic format'. Got '2026'. See http://en.wikipedia.org/wiki/ISO_8601",
    });
  });

  it('refuses an Authorization without Host signed, with another algorithm, or scoped to another region or service', async () => {
    const good = await signed(server, 'ListTables', {});
    const authorization = header(good, 'authorization');
    const hostless = withHeader(good, 'authorization', authorization.replace('SignedHeaders=content-type;host;', 'SignedHeaders=content-type;'));
    assert.deepEqual(exception((await send(server, hostless)).body), { name: 'InvalidSignatureException', message: "'Host' must be a 'SignedHeader' in the AWS Authorization." });
    const algorithm = withHeader(good, 'authorization', authorization.replace('AWS4-HMAC-SHA256', 'AWS4-HMAC-SHA512'));
    assert.deepEqual(exception((await send(server, algorithm)).body), { name: 'IncompleteSignatureException', message: "Unsupported AWS 'algorithm': 'AWS4-HMAC-SHA512' (only AWS4-HMAC-SHA256 for now). " });
    const service = await signed(server, 'ListTables', {}, { service: 's3' });
    assert.deepEqual(exception((await send(server, service)).body), { name: 'InvalidSignatureException', message: "Credential should be scoped to correct service: 'dynamodb'." });
    const region = await signed(server, 'ListTables', {}, { region: 'US_EAST_1' });
    assert.deepEqual(exception((await send(server, region)).body), { name: 'InvalidSignatureException', message: "Credential should be scoped to a valid region, not 'US_EAST_1'." });
  });

  it('refuses an unknown key, and a wrong secret', async () => {
    const stranger = dynamo(server, { accessKeyId: 'AKIAUNKNOWNKEY000000', secretAccessKey: 'whatever' });
    await rejects(stranger.send(new ListTablesCommand({})), 'UnrecognizedClientException', 'The security token included in the request is invalid.');
    const wrong = dynamo(server, { accessKeyId: root.accessKeyId, secretAccessKey: 'not-the-secret' });
    await assert.rejects(wrong.send(new ListTablesCommand({})), (error: Error) => error.name === 'InvalidSignatureException' && error.message.startsWith(mismatchStart));
  });

  it('refuses an altered body, an altered or duplicated header, a header signed but missing, a truncated signature — and the write does not happen', async () => {
    const put = await signed(server, 'PutItem', { TableName: 'Notes', Item: { id: { S: 'n1' }, text: { S: 'signed' } } });
    const altered = { ...put, body: put.body.replace('signed', 'forged') };
    const refused = exception((await send(server, altered)).body);
    assert.equal(refused.name, 'InvalidSignatureException');
    // The canonical request the server computed hashes the body it received.
    const hash = createHash('sha256').update(altered.body).digest('hex');
    assert.ok(refused.message?.startsWith(mismatchStart), refused.message);
    assert.ok(refused.message?.includes(`\n${hash}'\n\nThe String-to-Sign should have been\n'AWS4-HMAC-SHA256\n${header(put, 'x-amz-date')}\n`), refused.message);
    const target = withHeader(put, 'x-amz-target', 'DynamoDB_20120810.DeleteItem');
    assert.equal(exception((await send(server, target)).body).name, 'InvalidSignatureException');
    const twice: RawRequest = { ...put, headers: [...put.headers, ['host', header(put, 'host')]] };
    const duplicated = exception((await send(server, twice)).body);
    assert.equal(duplicated.name, 'InvalidSignatureException');
    assert.ok(duplicated.message?.includes(`host:${header(put, 'host')},${header(put, 'host')}\n`), duplicated.message);
    const missing = withHeader(put, 'x-amz-user-agent', undefined);
    assert.equal(exception((await send(server, missing)).body).name, 'InvalidSignatureException');
    const authorization = header(put, 'authorization');
    const truncated = withHeader(put, 'authorization', authorization.slice(0, -2));
    assert.equal(exception((await send(server, truncated)).body).name, 'InvalidSignatureException');
    assert.equal((await dynamo(server).send(new GetItemCommand({ TableName: 'Notes', Key: { id: { S: 'n1' } }, ConsistentRead: true }))).Item, undefined);
    // The same request unaltered goes through.
    assert.equal((await send(server, put)).status, 200);
    assert.equal((await dynamo(server).send(new GetItemCommand({ TableName: 'Notes', Key: { id: { S: 'n1' } }, ConsistentRead: true }))).Item?.['text']?.S, 'signed');
  });

  it('refuses a presigned request past its X-Amz-Expires', async () => {
    const replayed = await signed(server, 'ListTables', {}, { presignSeconds: 60, date: new Date(Date.now() - 5 * 60_000) });
    const refused = exception((await send(server, replayed)).body);
    assert.equal(refused.name, 'InvalidSignatureException');
    assert.match(refused.message ?? '', new RegExp(`^Signature expired: ${basic} is now earlier than ${basic} \\(${basic} - 60 sec\\.\\)$`));
  });

  it('checks nothing past the signature: a user without any policy may do everything', async () => {
    const user = await newUser(server, 'nopolicy');
    await dynamo(server, user).send(new PutItemCommand({ TableName: 'Notes', Item: { id: { S: 'n2' } } }));
    assert.deepEqual((await dynamo(server, user).send(new GetItemCommand({ TableName: 'Notes', Key: { id: { S: 'n2' } }, ConsistentRead: true }))).Item, { id: { S: 'n2' } });
  });
  it('takes a role session\'s credentials with their token until they expire, then answers ExpiredTokenException', async () => {
    const trust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::000000000000:root' }, Action: 'sts:AssumeRole' }] };
    await iam(server).send(new CreateRoleCommand({ RoleName: 'reader', AssumeRolePolicyDocument: JSON.stringify(trust) }));
    const credentials = (await sts(server).send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::000000000000:role/reader', RoleSessionName: 'test', DurationSeconds: 900 }))).Credentials;
    const session = { accessKeyId: credentials?.AccessKeyId as string, secretAccessKey: credentials?.SecretAccessKey as string, sessionToken: credentials?.SessionToken as string };
    assert.equal((await sts(server, session).send(new GetCallerIdentityCommand({}))).Arn, 'arn:aws:sts::000000000000:assumed-role/reader/test');
    assert.deepEqual((await dynamo(server, session).send(new ListTablesCommand({}))).TableNames, ['Notes']);
    await rejects(dynamo(server, { ...session, sessionToken: 'not-the-token' }).send(new ListTablesCommand({})), 'UnrecognizedClientException', 'The security token included in the request is invalid');
    // Ten minutes on the server's clock: the session (15 minutes) is past its end after six more.
    await server.advanceClock(10 * 60_000);
    const late = new DynamoDBClient({ endpoint: server.endpoint, region: 'us-east-1', credentials: session, maxAttempts: 1, systemClockOffset: 16 * 60_000 });
    try {
      // Signed for the server's time (16 minutes on): within the window, past the session's expiry.
      await server.advanceClock(6 * 60_000);
      await rejects(late.send(new ListTablesCommand({})), 'ExpiredTokenException', 'The security token included in the request is expired');
    } finally {
      late.destroy();
    }
  });

});
