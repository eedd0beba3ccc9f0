// What verifying signatures and evaluating IAM policies cost: two servers, one with --auth iam (a
// user whose one policy has ten statements, the one that applies with a dynamodb:LeadingKeys
// condition) and one with --auth none, each with an on-demand table of 10,000 items of 1 KB; GetItem
// and PutItem with 32 clients, `rounds` windows on each server in turn; ops/s and the server's CPU
// per operation.
//   npm run bench -- --auth [--duration-ms 3000] [--rounds 3]
import { CreateAccessKeyCommand, CreateUserCommand, IAMClient, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { Client, waitActive } from './client.js';
import { startTarget, type Target } from './targets.js';
import { closedLoop } from './closed-loop.js';

const payload = 'a'.repeat(1000);
const items = 10_000;
const root = { accessKeyId: 'AKIABENCHROOT0000001', secretAccessKey: 'bench-root-secret' };

/** Nine statements that do not apply to the bench's calls, and the one that does. */
const policy = {
  Version: '2012-10-17',
  Statement: [
    ...['Orders', 'Invoices', 'Sessions'].map((table) => ({ Effect: 'Allow', Action: ['dynamodb:GetItem', 'dynamodb:Query'], Resource: `arn:aws:dynamodb:*:*:table/${table}` })),
    ...['Audit', 'Events', 'Carts'].map((table) => ({ Effect: 'Allow', Action: 'dynamodb:PutItem', Resource: `arn:aws:dynamodb:*:*:table/${table}`, Condition: { StringEquals: { 'aws:username': 'someone-else' } } })),
    { Effect: 'Allow', Action: 'dynamodb:Scan', Resource: '*', Condition: { StringEquals: { 'dynamodb:Select': 'COUNT' } } },
    { Effect: 'Deny', Action: 'dynamodb:DeleteTable', Resource: '*' },
    { Effect: 'Allow', Action: ['dynamodb:DescribeTable', 'dynamodb:ListTables'], Resource: '*' },
    {
      Effect: 'Allow', Action: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:BatchWriteItem', 'dynamodb:CreateTable'], Resource: 'arn:aws:dynamodb:*:*:table/Bench',
      Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['k*'] } },
    },
  ],
};

async function prepare(client: Client): Promise<void> {
  await client.call('CreateTable', JSON.stringify({ TableName: 'Bench', BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }] }));
  await waitActive(client, 'Bench');
  for (let n = 0; n < items; n += 25) {
    const requests = Array.from({ length: 25 }, (_, i) => ({ PutRequest: { Item: { pk: { S: `k${n + i}` }, data: { S: payload } } } }));
    const res = await client.call('BatchWriteItem', JSON.stringify({ RequestItems: { Bench: requests } }));
    if (res.status !== 200) throw new Error(res.text);
  }
}

/** The bench's user on the --auth iam server: its access key. */
async function benchUser(endpoint: string): Promise<{ accessKeyId: string; secretAccessKey: string }> {
  const iam = new IAMClient({ endpoint, region: 'us-east-1', credentials: root });
  try {
    await iam.send(new CreateUserCommand({ UserName: 'bench' }));
    await iam.send(new PutUserPolicyCommand({ UserName: 'bench', PolicyName: 'ten-statements', PolicyDocument: JSON.stringify(policy) }));
    const key = (await iam.send(new CreateAccessKeyCommand({ UserName: 'bench' }))).AccessKey;
    return { accessKeyId: key?.AccessKeyId as string, secretAccessKey: key?.SecretAccessKey as string };
  } finally {
    iam.destroy();
  }
}

/** 32 clients of one operation for `durationMs`: calls a second, and the server's CPU µs per call. */
function measured(target: Target, client: Client, operation: 'GetItem' | 'PutItem', durationMs: number): Promise<{ rate: number; cpu: number }> {
  return closedLoop(target, client, operation, 'Bench', items, payload, durationMs);
}

export async function runAuthBench(durationMs: number, rounds: number): Promise<void> {
  const verified = await startTarget('stratusdb', 18_890, ['--auth', 'iam', '--root-access-key-id', root.accessKeyId, '--root-secret-access-key', root.secretAccessKey]);
  const open = await startTarget('stratusdb', 18_891, ['--auth', 'none']);
  const user = await benchUser(verified.endpoint);
  const clients = { verified: new Client(verified.endpoint, 64, undefined, user), open: new Client(open.endpoint, 64) };
  try {
    await prepare(clients.verified);
    await prepare(clients.open);
    const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
    console.log(`\n--auth iam (a user, a ten-statement policy with a LeadingKeys condition) against --auth none, 32 clients, 1 KB items, ${rounds} rounds of ${durationMs} ms on each server in turn`);
    console.log('| operation | iam ops/s per round | none ops/s per round | median ops/s ratio | server CPU µs/op (iam / none) |\n|---|---|---|---|---|');
    for (const operation of ['GetItem', 'PutItem'] as const) {
      const on: { rate: number; cpu: number }[] = [];
      const off: { rate: number; cpu: number }[] = [];
      for (let round = 0; round < rounds; round++) {
        // Alternate which goes first, so neither always runs on a warmer machine.
        if (round % 2 === 0) {
          on.push(await measured(verified, clients.verified, operation, durationMs));
          off.push(await measured(open, clients.open, operation, durationMs));
        } else {
          off.push(await measured(open, clients.open, operation, durationMs));
          on.push(await measured(verified, clients.verified, operation, durationMs));
        }
      }
      const ratio = median(on.map((v, i) => v.rate / (off[i] as { rate: number }).rate));
      console.log(`| ${operation} | ${on.map((v) => v.rate.toFixed(0)).join(', ')} | ${off.map((v) => v.rate.toFixed(0)).join(', ')} | ${ratio.toFixed(3)} | ${median(on.map((v) => v.cpu)).toFixed(1)} / ${median(off.map((v) => v.cpu)).toFixed(1)} |`);
    }
  } finally {
    for (const client of Object.values(clients)) client.close();
    await verified.stop();
    await open.stop();
  }
}
