// Web identity federation (--auth iam): an OpenID Connect identity provider made with
// CreateOpenIDConnectProvider, an HTTPS issuer of its own for the test (its certificate made with
// openssl and trusted through NODE_EXTRA_CA_CERTS, its key set served at its jwks_uri), ID tokens
// signed with RS256, AssumeRoleWithWebIdentity through the SDK and unsigned, and the session's
// `${issuer:sub}` policy variable in a dynamodb:LeadingKeys condition: each signed-in user reads and
// writes only their own partition. Each way a token is refused answers STS's exception and text.
import assert from 'node:assert/strict';
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CreateTableCommand, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import {
  CreateOpenIDConnectProviderCommand, CreateRoleCommand, DeleteOpenIDConnectProviderCommand, GetOpenIDConnectProviderCommand, ListOpenIDConnectProvidersCommand, PutRolePolicyCommand,
} from '@aws-sdk/client-iam';
import { AssumeRoleWithWebIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { localOnly, startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { destroyClients, dynamo, iam, root } from '../helpers/auth.js';
import { rejects } from '../helpers/rejects.js';
import { loopbackCertificate, opensslMissing } from '../helpers/certificate.js';

const missing = opensslMissing("the identity provider's certificate");
if (missing !== false) console.log(`# skipped: ${missing}`);

const account = '000000000000';

describe('web identity federation: AssumeRoleWithWebIdentity with an OpenID Connect provider (--auth iam)', { skip: localOnly.skip || missing }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'stratusdb-oidc-'));
  let cert = '';
  let tlsKey = '';
  const signing = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 });
  let issuerServer: Server;
  let issuer = '';
  let provider = '';
  let providerArn = '';
  let server: ServerProcess;
  let anonymous: STSClient;

  /** An ID token of the test's issuer, RS256, with these claims over the usual ones. */
  const token = (claims: Record<string, unknown>, key: KeyObject = signing.privateKey, kid = 'test-key'): string => {
    const part = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
    const body = { iss: issuer, aud: 'my-app', sub: 'alice', iat: Math.floor(Date.now() / 1000), exp: Math.floor(Date.now() / 1000) + 600, ...claims };
    const signed = `${part({ alg: 'RS256', typ: 'JWT', kid })}.${part(body)}`;
    return `${signed}.${sign('sha256', Buffer.from(signed), key).toString('base64url')}`;
  };
  const assume = (webToken: string, role = 'web-users'): Promise<unknown> => anonymous.send(new AssumeRoleWithWebIdentityCommand({
    RoleArn: `arn:aws:iam::${account}:role/${role}`, RoleSessionName: 'browser', WebIdentityToken: webToken,
  }));

  before(async () => {
    ({ cert, key: tlsKey } = loopbackCertificate(dir));
    const jwk = { ...signing.publicKey.export({ format: 'jwk' }), kid: 'test-key', use: 'sig', alg: 'RS256' };
    issuerServer = createServer({ cert: readFileSync(cert), key: readFileSync(tlsKey) }, (req, res) => {
      res.setHeader('Content-Type', 'application/json');
      if (req.url === '/idp/.well-known/openid-configuration') res.end(JSON.stringify({ issuer, jwks_uri: `${issuer}/keys` }));
      else if (req.url === '/idp/keys') res.end(JSON.stringify({ keys: [jwk] }));
      else {
        res.statusCode = 404;
        res.end('{}');
      }
    });
    await new Promise<void>((resolve) => issuerServer.listen(0, '127.0.0.1', resolve));
    provider = `127.0.0.1:${(issuerServer.address() as AddressInfo).port}/idp`;
    issuer = `https://${provider}`;
    providerArn = `arn:aws:iam::${account}:oidc-provider/${provider}`;
    server = await startServerProcess({
      args: ['--auth', 'iam'], env: { STRATUSDB_ROOT_ACCESS_KEY_ID: root.accessKeyId, STRATUSDB_ROOT_SECRET_ACCESS_KEY: root.secretAccessKey, NODE_EXTRA_CA_CERTS: cert },
    });
    // No credentials of its own: the SDK sends AssumeRoleWithWebIdentity unsigned.
    anonymous = new STSClient({ endpoint: server.endpoint, region: 'us-east-1', maxAttempts: 1, credentials: { accessKeyId: 'unused', secretAccessKey: 'unused' } });
    await dynamo(server).send(new CreateTableCommand({
      TableName: 'Profiles', BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: [{ AttributeName: 'userId', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'userId', KeyType: 'HASH' }],
    }));
    const admin = iam(server);
    await admin.send(new CreateOpenIDConnectProviderCommand({ Url: issuer, ClientIDList: ['my-app'], ThumbprintList: ['0'.repeat(40)] }));
    const trust = (audience: string): string => JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Federated: providerArn }, Action: 'sts:AssumeRoleWithWebIdentity', Condition: { StringEquals: { [`${provider}:aud`]: audience } } }],
    });
    await admin.send(new CreateRoleCommand({ RoleName: 'web-users', AssumeRolePolicyDocument: trust('my-app') }));
    await admin.send(new CreateRoleCommand({ RoleName: 'other-app-users', AssumeRolePolicyDocument: trust('other-app') }));
    await admin.send(new PutRolePolicyCommand({
      RoleName: 'web-users', PolicyName: 'own-profile',
      PolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{
          Effect: 'Allow', Action: ['dynamodb:GetItem', 'dynamodb:PutItem'], Resource: `arn:aws:dynamodb:us-east-1:${account}:table/Profiles`,
          Condition: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [`\${${provider}:sub}`] } },
        }],
      }),
    }));
  });
  after(async () => {
    anonymous.destroy();
    destroyClients();
    await server.dispose();
    await new Promise<void>((resolve) => issuerServer.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps the provider: Get, List, a second Create refused, URLs IAM refuses', async () => {
    const admin = iam(server);
    const got = await admin.send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: providerArn }));
    assert.deepEqual([got.Url, got.ClientIDList, got.ThumbprintList], [provider, ['my-app'], ['0'.repeat(40)]]);
    assert.deepEqual((await admin.send(new ListOpenIDConnectProvidersCommand({}))).OpenIDConnectProviderList, [{ Arn: providerArn }]);
    await rejects(admin.send(new CreateOpenIDConnectProviderCommand({ Url: issuer, ClientIDList: ['my-app'] })), 'EntityAlreadyExistsException', `Provider with url ${issuer} already exists.`);
    await rejects(admin.send(new CreateOpenIDConnectProviderCommand({ Url: 'http://127.0.0.1/idp' })), 'InvalidInputException', 'Invalid Open ID Connect Provider URL. The URL must begin with https://.');
    await rejects(admin.send(new CreateOpenIDConnectProviderCommand({ Url: '127.0.0.1/idp' })), 'ValidationError', 'Invalid Open ID Connect Provider URL');
    const missingArn = `arn:aws:iam::${account}:oidc-provider/elsewhere.example.com`;
    await rejects(admin.send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: missingArn })), 'NoSuchEntityException', `OpenIDConnect Provider not found for arn ${missingArn}`);
    await rejects(admin.send(new DeleteOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: missingArn })), 'NoSuchEntityException', `OpenIDConnect Provider not found for arn ${missingArn}`);
  });

  it('gives a signed-in user credentials that reach only their own partition (${issuer:sub} in LeadingKeys)', async () => {
    const answer = await anonymous.send(new AssumeRoleWithWebIdentityCommand({ RoleArn: `arn:aws:iam::${account}:role/web-users`, RoleSessionName: 'browser', WebIdentityToken: token({}) }));
    assert.equal(answer.SubjectFromWebIdentityToken, 'alice');
    assert.equal(answer.Audience, 'my-app');
    assert.equal(answer.Provider, issuer);
    assert.equal(answer.AssumedRoleUser?.Arn, `arn:aws:sts::${account}:assumed-role/web-users/browser`);
    const credentials = answer.Credentials;
    assert.match(credentials?.AccessKeyId ?? '', /^ASIA[A-Z2-7]{16}$/);
    const alice = dynamo(server, { accessKeyId: credentials?.AccessKeyId as string, secretAccessKey: credentials?.SecretAccessKey as string, sessionToken: credentials?.SessionToken as string });
    await alice.send(new PutItemCommand({ TableName: 'Profiles', Item: { userId: { S: 'alice' }, theme: { S: 'dark' } } }));
    assert.deepEqual((await alice.send(new GetItemCommand({ TableName: 'Profiles', Key: { userId: { S: 'alice' } } }))).Item, { userId: { S: 'alice' }, theme: { S: 'dark' } });
    const sessionArn = `arn:aws:sts::${account}:assumed-role/web-users/browser`;
    const denied = (action: string): string => `User: ${sessionArn} is not authorized to perform: dynamodb:${action} on resource: arn:aws:dynamodb:us-east-1:${account}:table/Profiles because no identity-based policy allows the dynamodb:${action} action`;
    await rejects(alice.send(new PutItemCommand({ TableName: 'Profiles', Item: { userId: { S: 'bob' } } })), 'AccessDeniedException', denied('PutItem'));
    await rejects(alice.send(new GetItemCommand({ TableName: 'Profiles', Key: { userId: { S: 'bob' } } })), 'AccessDeniedException', denied('GetItem'));
  });

  it('answers an unsigned request as the SDK would send it, in the query protocol', async () => {
    const body = new URLSearchParams({
      Action: 'AssumeRoleWithWebIdentity', Version: '2011-06-15', RoleArn: `arn:aws:iam::${account}:role/web-users`, RoleSessionName: 'raw', WebIdentityToken: token({ sub: 'carol' }),
    });
    const res = await fetch(server.endpoint, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: body.toString() });
    const text = await res.text();
    assert.equal(res.status, 200, text);
    assert.match(text, /<SubjectFromWebIdentityToken>carol<\/SubjectFromWebIdentityToken>/);
    assert.match(text, /<AccessKeyId>ASIA[A-Z2-7]{16}<\/AccessKeyId>/);
  });

  it('refuses each bad token with STS\'s exception and text', async () => {
    const now = Math.floor(Date.now() / 1000);
    await rejects(assume('not-a-token'), 'InvalidIdentityTokenException', 'The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)');
    await rejects(assume(token({ aud: 'someone-else' })), 'InvalidIdentityTokenException', 'Incorrect token audience');
    await rejects(assume(token({ iss: 'https://elsewhere.example.com' })), 'InvalidIdentityTokenException', 'No OpenIDConnect provider found in your account for https://elsewhere.example.com');
    await assert.rejects(assume(token({ exp: now - 60 })), (error: Error) => {
      assert.equal(error.name, 'ExpiredTokenException');
      assert.match(error.message, new RegExp(`^Token expired: current date/time \\d+ must be before the expiration date/time ${now - 60}$`));
      return true;
    });
    await rejects(assume(token({}, stranger.privateKey)), 'InvalidIdentityTokenException', 'Signature verification failed');
    // A key the issuer's set lacks: fetched again, still not there.
    await rejects(assume(token({}, stranger.privateKey, 'rotated-away')), 'InvalidIdentityTokenException', 'Signature verification failed');
    await rejects(assume(token({}), 'other-app-users'), 'AccessDenied', 'Not authorized to perform sts:AssumeRoleWithWebIdentity');
    await rejects(assume(token({}), 'no-such-role'), 'AccessDenied', 'Not authorized to perform sts:AssumeRoleWithWebIdentity');
  });

  it('answers InvalidIdentityToken when the issuer\'s keys cannot be fetched, and forgets a deleted provider', async () => {
    const admin = iam(server);
    const unreachable = 'https://127.0.0.1:1/nowhere';
    await admin.send(new CreateOpenIDConnectProviderCommand({ Url: unreachable, ClientIDList: ['my-app'] }));
    await rejects(assume(token({ iss: unreachable })), 'InvalidIdentityTokenException', "Couldn't retrieve verification key from your identity provider,  please reference AssumeRoleWithWebIdentity documentation for requirements");
    await admin.send(new DeleteOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: `arn:aws:iam::${account}:oidc-provider/127.0.0.1:1/nowhere` }));
    await rejects(assume(token({ iss: unreachable })), 'InvalidIdentityTokenException', `No OpenIDConnect provider found in your account for ${unreachable}`);
  });
});
