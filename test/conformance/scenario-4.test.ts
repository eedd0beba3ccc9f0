// Scenario 4 of SCENARIOS.md, global tables active-active, with the AWS CLI against three StratusDB
// servers — us-east-1, eu-west-1 and ap-southeast-1, each its own process, named to each other with
// --peer: `aws dynamodb update-table --replica-updates` copies the existing data to each new replica
// (CREATING → ACTIVE) and from then on every write reaches every region; every region reads and
// writes; two writes to one item made in two regions at once end on the same winner everywhere; with
// one region down (its server refusing requests) the others keep serving with no client change, and
// when it returns all converge. The scenario's literal command asks for two replicas in one call,
// which DynamoDB refuses (one Create per UpdateTable); that refusal is checked, then the replicas are
// added one after the other; a replica then gets a read maximum of its own (an override). Skipped,
// with the reason, without `aws`.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { awsCliMissing } from '../helpers/aws-cli.js';
import { after, before, describe, it } from 'node:test';
import { localOnly, type ServerProcess } from '../helpers/server-process.js';
import { drained, outage, startPeers } from '../helpers/replication.js';

const run = promisify(execFile);

const missing = awsCliMissing();
if (missing !== false) console.log(`# skipped: ${missing}`);

const regions = ['us-east-1', 'eu-west-1', 'ap-southeast-1'] as const;
type Region = (typeof regions)[number];

interface Item {
  readonly userId: { readonly S: string };
  readonly name: { readonly S: string };
}

describe('scenario 4: global tables, active-active (AWS CLI, three servers)', { skip: localOnly.skip || missing }, () => {
  let servers: Awaited<ReturnType<typeof startPeers>>;
  const server = (region: Region): ServerProcess => servers.get(region)?.server as ServerProcess;
  const env = { ...process.env, AWS_ACCESS_KEY_ID: 'AKIDCLI', AWS_SECRET_ACCESS_KEY: 'secret', AWS_EC2_METADATA_DISABLED: 'true', AWS_PAGER: '' };
  const aws = async (region: Region, ...args: string[]): Promise<unknown> => {
    const { stdout } = await run('aws', ['dynamodb', ...args, '--region', region, '--endpoint-url', server(region).endpoint, '--output', 'json'], { env });
    return stdout.trim() === '' ? undefined : (JSON.parse(stdout) as unknown);
  };
  /** The CLI's failure: its stderr. */
  const awsFails = async (region: Region, ...args: string[]): Promise<string> => {
    try {
      await run('aws', ['dynamodb', ...args, '--region', region, '--endpoint-url', server(region).endpoint, '--output', 'json'], { env: { ...env, AWS_MAX_ATTEMPTS: '1', AWS_RETRY_MODE: 'standard' } });
    } catch (error) {
      return (error as { stderr: string }).stderr;
    }
    return assert.fail(`aws dynamodb ${args[0] ?? ''} in ${region} succeeded`);
  };
  const scan = async (region: Region): Promise<string[]> => ((await aws(region, 'scan', '--table-name', 'UserProfiles')) as { Items: Item[] }).Items.map((i) => `${i.userId.S}=${i.name.S}`).sort();
  const status = async (region: Region): Promise<{ TableStatus: string; Replicas?: { RegionName: string; ReplicaStatus: string }[] }> =>
    ((await aws(region, 'describe-table', '--table-name', 'UserProfiles')) as { Table: { TableStatus: string; Replicas?: { RegionName: string; ReplicaStatus: string }[] } }).Table;
  const allDrained = async (): Promise<void> => {
    for (const region of regions) await drained(server(region));
  };

  before(async () => {
    servers = await startPeers(regions);
  });
  after(async () => {
    await Promise.all([...servers.values()].map((s) => s.server.dispose()));
  });

  it('replicates to new replicas and from then on every write, in every region', async () => {
    await aws('us-east-1', 'create-table', '--table-name', 'UserProfiles', '--attribute-definitions', 'AttributeName=userId,AttributeType=S',
      '--key-schema', 'AttributeName=userId,KeyType=HASH', '--billing-mode', 'PAY_PER_REQUEST');
    for (const [id, name] of [['u1', 'Ana'], ['u2', 'Bo'], ['u3', 'Chen']]) await aws('us-east-1', 'put-item', '--table-name', 'UserProfiles', '--item', JSON.stringify({ userId: { S: id }, name: { S: name } }));
    // The scenario's one-call form: DynamoDB takes one replica Create per UpdateTable.
    const twoAtOnce = await awsFails('us-east-1', 'update-table', '--table-name', 'UserProfiles', '--replica-updates', '[{"Create":{"RegionName":"eu-west-1"}},{"Create":{"RegionName":"ap-southeast-1"}}]');
    assert.match(twoAtOnce, /ValidationException\) when calling the UpdateTable operation( \(reached max retries: 0\))?: Update table operation with more than one create or delete replica actions not allowed/);
    for (const replica of ['eu-west-1', 'ap-southeast-1'] as const) {
      const answer = (await aws('us-east-1', 'update-table', '--table-name', 'UserProfiles', '--replica-updates', JSON.stringify([{ Create: { RegionName: replica } }]))) as { TableDescription: { TableStatus: string } };
      assert.equal(answer.TableDescription.TableStatus, 'UPDATING');
      for (;;) {
        const table = await status('us-east-1');
        if (table.TableStatus === 'ACTIVE' && (table.Replicas ?? []).every((r) => r.ReplicaStatus === 'ACTIVE')) break;
      }
    }
    for (const region of regions) {
      const table = await status(region);
      assert.equal(table.TableStatus, 'ACTIVE');
      assert.deepEqual(table.Replicas?.map((r) => `${r.RegionName} ${r.ReplicaStatus}`).sort(), regions.filter((r) => r !== region).map((r) => `${r} ACTIVE`).sort());
      assert.deepEqual(await scan(region), ['u1=Ana', 'u2=Bo', 'u3=Chen'], `the existing data in ${region}`);
    }
    // Every region reads and writes.
    for (const region of regions) await aws(region, 'put-item', '--table-name', 'UserProfiles', '--item', JSON.stringify({ userId: { S: `from-${region}` }, name: { S: region } }));
    await allDrained();
    for (const region of regions) assert.deepEqual(await scan(region), ['from-ap-southeast-1=ap-southeast-1', 'from-eu-west-1=eu-west-1', 'from-us-east-1=us-east-1', 'u1=Ana', 'u2=Bo', 'u3=Chen'], region);
    // A replica's read maximum of its own (an override), set from another region.
    await aws('us-east-1', 'update-table', '--table-name', 'UserProfiles', '--replica-updates', JSON.stringify([{ Update: { RegionName: 'eu-west-1', OnDemandThroughputOverride: { MaxReadRequestUnits: 900 } } }]));
    assert.deepEqual(((await aws('eu-west-1', 'describe-table', '--table-name', 'UserProfiles')) as { Table: { OnDemandThroughput?: unknown } }).Table.OnDemandThroughput, { MaxReadRequestUnits: 900 });
  });

  it('two writes to one item in two regions at once: the same winner everywhere', async () => {
    // Neither region sees the other's write before making its own.
    for (const s of servers.values()) await outage(s.server, 'eu-west-1', true);
    await Promise.all([
      aws('us-east-1', 'put-item', '--table-name', 'UserProfiles', '--item', '{"userId":{"S":"u1"},"name":{"S":"Ana (edited in us-east-1)"}}'),
      aws('eu-west-1', 'put-item', '--table-name', 'UserProfiles', '--item', '{"userId":{"S":"u1"},"name":{"S":"Ana (edited in eu-west-1)"}}'),
    ]);
    for (const s of servers.values()) await outage(s.server, 'eu-west-1', false);
    await allDrained();
    const names = await Promise.all(regions.map(async (region) => ((await aws(region, 'get-item', '--table-name', 'UserProfiles', '--key', '{"userId":{"S":"u1"}}', '--consistent-read')) as { Item: Item }).Item.name.S));
    assert.equal(new Set(names).size, 1, `one winner everywhere: ${names.join(' / ')}`);
    assert.match(names[0] as string, /^Ana \(edited in (us-east-1|eu-west-1)\)$/);
  });

  it('with one region down the others keep serving; when it returns, all converge', async () => {
    await outage(server('ap-southeast-1'), 'ap-southeast-1', true, true);
    assert.match(await awsFails('ap-southeast-1', 'get-item', '--table-name', 'UserProfiles', '--key', '{"userId":{"S":"u2"}}'), /ServiceUnavailable/);
    await aws('us-east-1', 'put-item', '--table-name', 'UserProfiles', '--item', '{"userId":{"S":"during"},"name":{"S":"written while ap-southeast-1 was down"}}');
    await aws('eu-west-1', 'delete-item', '--table-name', 'UserProfiles', '--key', '{"userId":{"S":"u3"}}');
    await drained(server('us-east-1'));
    assert.ok((await scan('eu-west-1')).includes('during=written while ap-southeast-1 was down'));
    await outage(server('ap-southeast-1'), 'ap-southeast-1', false);
    await allDrained();
    const everywhere = await Promise.all(regions.map((region) => scan(region)));
    assert.deepEqual(everywhere[1], everywhere[0]);
    assert.deepEqual(everywhere[2], everywhere[0]);
    assert.ok(everywhere[2]?.includes('during=written while ap-southeast-1 was down'));
    assert.ok(!everywhere[2]?.some((entry) => entry.startsWith('u3=')));
  });
});
