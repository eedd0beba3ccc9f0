// IAM and STS on StratusDB's endpoint (--auth iam), through @aws-sdk/client-iam, @aws-sdk/client-sts
// and the AWS CLI: users, access keys (at most two, Inactive ones refused), inline and managed
// policies (the grammar checked, attachments counted, deletion refused while attached), groups,
// roles and AssumeRole (a trust policy that does not name the caller refuses it), each with IAM's
// errors; IAM's own actions authorized like DynamoDB's; identities kept across a restart, their
// secrets not in plaintext at rest and unreadable under another root secret.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import {
  AttachUserPolicyCommand, CreateAccessKeyCommand, CreatePolicyCommand, CreateRoleCommand, CreateUserCommand, DeleteAccessKeyCommand, DeletePolicyCommand, DeleteUserCommand,
  DeleteUserPolicyCommand, DetachUserPolicyCommand, GetPolicyCommand, GetPolicyVersionCommand, GetRoleCommand, GetUserCommand, GetUserPolicyCommand, ListAccessKeysCommand,
  ListAttachedUserPoliciesCommand, ListUserPoliciesCommand, ListUsersCommand, PutUserPolicyCommand, UpdateAccessKeyCommand,
} from '@aws-sdk/client-iam';
import { AssumeRoleCommand, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { localOnly, newDataDir, type ServerProcess } from '../helpers/server-process.js';
import { destroyClients, dynamo, iam, newUser, root, startAuthServer, sts } from '../helpers/auth.js';
import { awsCliMissing } from '../helpers/aws-cli.js';
import { rejects } from '../helpers/rejects.js';

const run = promisify(execFile);
const account = '000000000000';
const allowAll = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'dynamodb:ListTables', Resource: '*' }] };

describe('IAM and STS on the endpoint (--auth iam)', localOnly, () => {
  let server: ServerProcess;
  const dataDir = newDataDir();
  before(async () => {
    server = await startAuthServer('iam', [], { dataDir });
  });
  after(async () => {
    destroyClients();
    await server.dispose();
  });

  it('makes, reads, lists and refuses users with IAM\'s errors', async () => {
    const admin = iam(server);
    const made = await admin.send(new CreateUserCommand({ UserName: 'dana', Path: '/team/' }));
    assert.equal(made.User?.Arn, `arn:aws:iam::${account}:user/team/dana`);
    assert.match(made.User?.UserId ?? '', /^AIDA[A-Z2-7]{17}$/);
    assert.ok(made.User?.CreateDate instanceof Date);
    await rejects(admin.send(new CreateUserCommand({ UserName: 'DANA' })), 'EntityAlreadyExistsException', 'User with name DANA already exists.');
    await rejects(admin.send(new GetUserCommand({ UserName: 'nobody' })), 'NoSuchEntityException', 'The user with name nobody cannot be found.');
    await rejects(admin.send(new CreateUserCommand({ UserName: 'bad name' })), 'ValidationError',
      "1 validation error detected: Value 'bad name' at 'userName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+");
    assert.deepEqual((await admin.send(new ListUsersCommand({}))).Users?.map((u) => u.UserName), ['dana']);
    assert.equal((await admin.send(new GetUserCommand({ UserName: 'dana' }))).User?.Path, '/team/');
  });

  it('gives a user at most two access keys; an Inactive key signs nothing; a deleted one is gone', async () => {
    const admin = iam(server);
    const first = (await admin.send(new CreateAccessKeyCommand({ UserName: 'dana' }))).AccessKey;
    assert.match(first?.AccessKeyId ?? '', /^AKIA[A-Z2-7]{16}$/);
    assert.equal(first?.SecretAccessKey?.length, 40);
    await admin.send(new PutUserPolicyCommand({ UserName: 'dana', PolicyName: 'list', PolicyDocument: JSON.stringify(allowAll) }));
    const dana = { accessKeyId: first?.AccessKeyId as string, secretAccessKey: first?.SecretAccessKey as string };
    assert.ok(Array.isArray((await dynamo(server, dana).send(new ListTablesCommand({}))).TableNames));
    assert.equal((await sts(server, dana).send(new GetCallerIdentityCommand({}))).Arn, `arn:aws:iam::${account}:user/team/dana`);
    const second = (await admin.send(new CreateAccessKeyCommand({ UserName: 'dana' }))).AccessKey;
    await rejects(admin.send(new CreateAccessKeyCommand({ UserName: 'dana' })), 'LimitExceededException', 'Cannot exceed quota for AccessKeysPerUser: 2');
    assert.deepEqual((await admin.send(new ListAccessKeysCommand({ UserName: 'dana' }))).AccessKeyMetadata?.map((k) => k.Status), ['Active', 'Active']);
    await admin.send(new UpdateAccessKeyCommand({ UserName: 'dana', AccessKeyId: dana.accessKeyId, Status: 'Inactive' }));
    await rejects(dynamo(server, dana).send(new ListTablesCommand({})), 'UnrecognizedClientException', 'The security token included in the request is invalid.');
    await admin.send(new DeleteAccessKeyCommand({ UserName: 'dana', AccessKeyId: second?.AccessKeyId as string }));
    await rejects(admin.send(new DeleteAccessKeyCommand({ UserName: 'dana', AccessKeyId: second?.AccessKeyId as string })), 'NoSuchEntityException', `The Access Key with id ${second?.AccessKeyId} cannot be found.`);
  });

  it('checks policy documents, and keeps inline and managed policies with their attachments', async () => {
    const admin = iam(server);
    await rejects(admin.send(new PutUserPolicyCommand({ UserName: 'dana', PolicyName: 'x', PolicyDocument: '{not json' })), 'MalformedPolicyDocumentException', 'Syntax errors in policy.');
    await rejects(admin.send(new PutUserPolicyCommand({ UserName: 'dana', PolicyName: 'x', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' }] }) })),
      'MalformedPolicyDocumentException', 'Policy document should not specify a principal.');
    await rejects(admin.send(new PutUserPolicyCommand({ UserName: 'dana', PolicyName: 'x', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Resource: '*' }] }) })),
      'MalformedPolicyDocumentException', 'Policy statement must contain actions.');
    assert.deepEqual((await admin.send(new ListUserPoliciesCommand({ UserName: 'dana' }))).PolicyNames, ['list']);
    assert.deepEqual(JSON.parse(decodeURIComponent((await admin.send(new GetUserPolicyCommand({ UserName: 'dana', PolicyName: 'list' }))).PolicyDocument ?? '')), allowAll);
    const policy = (await admin.send(new CreatePolicyCommand({ PolicyName: 'readers', PolicyDocument: JSON.stringify(allowAll), Description: 'read tables' }))).Policy;
    assert.equal(policy?.Arn, `arn:aws:iam::${account}:policy/readers`);
    await rejects(admin.send(new CreatePolicyCommand({ PolicyName: 'readers', PolicyDocument: JSON.stringify(allowAll) })), 'EntityAlreadyExistsException', 'A policy called readers already exists. Duplicate names are not allowed.');
    await admin.send(new AttachUserPolicyCommand({ UserName: 'dana', PolicyArn: policy?.Arn }));
    assert.equal((await admin.send(new GetPolicyCommand({ PolicyArn: policy?.Arn }))).Policy?.AttachmentCount, 1);
    assert.deepEqual(JSON.parse(decodeURIComponent((await admin.send(new GetPolicyVersionCommand({ PolicyArn: policy?.Arn, VersionId: 'v1' }))).PolicyVersion?.Document ?? '')), allowAll);
    assert.deepEqual((await admin.send(new ListAttachedUserPoliciesCommand({ UserName: 'dana' }))).AttachedPolicies, [{ PolicyName: 'readers', PolicyArn: policy?.Arn }]);
    await rejects(admin.send(new DeletePolicyCommand({ PolicyArn: policy?.Arn })), 'DeleteConflictException', 'Cannot delete a policy attached to entities.');
    await rejects(admin.send(new AttachUserPolicyCommand({ UserName: 'dana', PolicyArn: `arn:aws:iam::${account}:policy/none` })), 'NoSuchEntityException', `Policy arn:aws:iam::${account}:policy/none does not exist or is not attachable.`);
    // A user is deleted only once its keys and policies are gone.
    await rejects(admin.send(new DeleteUserCommand({ UserName: 'dana' })), 'DeleteConflictException', 'Cannot delete entity, must delete access keys first.');
    for (const key of (await admin.send(new ListAccessKeysCommand({ UserName: 'dana' }))).AccessKeyMetadata ?? []) await admin.send(new DeleteAccessKeyCommand({ UserName: 'dana', AccessKeyId: key.AccessKeyId }));
    await rejects(admin.send(new DeleteUserCommand({ UserName: 'dana' })), 'DeleteConflictException', 'Cannot delete entity, must delete policies first.');
    await admin.send(new DeleteUserPolicyCommand({ UserName: 'dana', PolicyName: 'list' }));
    await rejects(admin.send(new DeleteUserCommand({ UserName: 'dana' })), 'DeleteConflictException', 'Cannot delete entity, must detach all policies first.');
    await admin.send(new DetachUserPolicyCommand({ UserName: 'dana', PolicyArn: policy?.Arn }));
    await admin.send(new DeleteUserCommand({ UserName: 'dana' }));
    await admin.send(new DeletePolicyCommand({ PolicyArn: policy?.Arn }));
    assert.deepEqual((await admin.send(new ListUsersCommand({}))).Users, []);
  });

  it('authorizes IAM\'s and STS\'s own actions, and refuses AssumeRole of a role that does not trust the caller', async () => {
    const erin = await newUser(server, 'erin', { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' }] });
    await rejects(iam(server, erin).send(new CreateUserCommand({ UserName: 'mallory' })), 'AccessDenied',
      `User: arn:aws:iam::${account}:user/erin is not authorized to perform: iam:CreateUser on resource: arn:aws:iam::${account}:user/mallory because no identity-based policy allows the iam:CreateUser action`);
    const trustsFrank = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:user/frank` }, Action: 'sts:AssumeRole' }] };
    const role = (await iam(server).send(new CreateRoleCommand({ RoleName: 'deployer', AssumeRolePolicyDocument: JSON.stringify(trustsFrank), MaxSessionDuration: 7200 }))).Role;
    assert.equal(role?.MaxSessionDuration, 7200);
    assert.deepEqual(JSON.parse(decodeURIComponent((await iam(server).send(new GetRoleCommand({ RoleName: 'deployer' }))).Role?.AssumeRolePolicyDocument ?? '')), trustsFrank);
    await rejects(sts(server, erin).send(new AssumeRoleCommand({ RoleArn: role?.Arn, RoleSessionName: 's' })), 'AccessDenied',
      `User: arn:aws:iam::${account}:user/erin is not authorized to perform: sts:AssumeRole on resource: ${role?.Arn} because no resource-based policy allows the sts:AssumeRole action`);
    await rejects(sts(server).send(new AssumeRoleCommand({ RoleArn: role?.Arn, RoleSessionName: 's', DurationSeconds: 7201 })), 'ValidationError', 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.');
  });

  it('serves the AWS CLI', { skip: awsCliMissing() }, async () => {
    const env = { ...process.env, AWS_ACCESS_KEY_ID: root.accessKeyId, AWS_SECRET_ACCESS_KEY: root.secretAccessKey, AWS_DEFAULT_REGION: 'us-east-1', AWS_PAGER: '', AWS_EC2_METADATA_DISABLED: 'true' };
    const aws = async (...args: string[]): Promise<Record<string, unknown>> => JSON.parse((await run('aws', [...args, '--endpoint-url', server.endpoint, '--output', 'json'], { env })).stdout) as Record<string, unknown>;
    assert.equal(((await aws('iam', 'create-user', '--user-name', 'cli-user'))['User'] as { UserName: string }).UserName, 'cli-user');
    const key = (await aws('iam', 'create-access-key', '--user-name', 'cli-user'))['AccessKey'] as { AccessKeyId: string };
    assert.match(key.AccessKeyId, /^AKIA/);
    assert.equal((await aws('sts', 'get-caller-identity'))['Arn'], `arn:aws:iam::${account}:root`);
  });

  it('keeps identities across a restart, their secrets sealed at rest', async () => {
    const gina = await newUser(server, 'gina', allowAll);
    await server.stop();
    // Nothing the server stored holds the secret in plaintext.
    for (const file of filesUnder(dataDir)) assert.ok(!readFileSync(file).includes(gina.secretAccessKey), `${file} holds a secret in plaintext`);
    server = await startAuthServer('iam', [], { dataDir });
    assert.ok(Array.isArray((await dynamo(server, gina).send(new ListTablesCommand({}))).TableNames));
    // Started under another root secret, the sealed secrets cannot be read: the key signs nothing.
    await server.stop();
    server = await startAuthServer('iam', [], { dataDir, rootSecret: 'another-root-secret' });
    await rejects(dynamo(server, gina).send(new ListTablesCommand({})), 'UnrecognizedClientException', 'The security token included in the request is invalid.');
  });
});

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}
