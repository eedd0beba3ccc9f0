// What it takes to bring one table from how the server has it to how the file declares it, as
// DynamoDB allows: a new table is CreateTable and then its settings; a table that exists changes by
// steps, each one UpdateTable that DynamoDB accepts on its own (one GSI created or deleted per call,
// a stream's view type changed by disabling and enabling it, one replica at a time), each waited
// out before the next; TTL, point-in-time recovery, Contributor Insights, the resource policy and
// tags by their own operations. What cannot change in place (the key schema, the LSIs) is refused.
import { refuse } from './deploy-error.js';
import { ApiFailure, describeTable, waitForTable, type DeployApi, type TableDescription } from './deploy-api.js';
import type { DesiredTable, Json } from './desired-state.js';

export interface Step {
  /** What the step does, as the plan prints it. */
  readonly text: string;
  run(api: DeployApi): Promise<void>;
}

export interface TablePlan {
  readonly table: DesiredTable;
  readonly action: 'create' | 'update' | 'none';
  readonly steps: readonly Step[];
}

/** The table's settings beside its description: tags, TTL, PITR, Contributor Insights, resource policy. */
interface CurrentSettings {
  readonly tags: ReadonlyMap<string, string>;
  readonly ttl: { readonly AttributeName: string; readonly Enabled: boolean } | undefined;
  readonly pitr: { readonly enabled: boolean; readonly days: number };
  readonly insights: boolean;
  readonly policy: string | undefined;
}

type KeyElement = { readonly AttributeName: string; readonly KeyType: string };
type Gsi = Json & { readonly IndexName: string; readonly KeySchema: readonly KeyElement[]; readonly Projection: Json; readonly ProvisionedThroughput?: Json };

const defaultRecoveryDays = 35;

async function readSettings(api: DeployApi, region: string, table: TableDescription): Promise<CurrentSettings> {
  const arn = table.TableArn;
  const [tags, ttl, backups, insights, policy] = await Promise.all([
    api.call<{ Tags?: { Key: string; Value: string }[] }>(region, 'ListTagsOfResource', { ResourceArn: arn }),
    api.call<{ TimeToLiveDescription?: { TimeToLiveStatus?: string; AttributeName?: string } }>(region, 'DescribeTimeToLive', { TableName: table.TableName }),
    api.call<{ ContinuousBackupsDescription?: { PointInTimeRecoveryDescription?: { PointInTimeRecoveryStatus?: string; RecoveryPeriodInDays?: number } } }>(region, 'DescribeContinuousBackups', { TableName: table.TableName }),
    api.call<{ ContributorInsightsStatus?: string }>(region, 'DescribeContributorInsights', { TableName: table.TableName }),
    api.call<{ Policy?: string | undefined }>(region, 'GetResourcePolicy', { ResourceArn: arn }).catch((error: unknown) => {
      if (error instanceof ApiFailure && error.type === 'PolicyNotFoundException') return { Policy: undefined };
      throw error;
    }),
  ]);
  const ttlStatus = ttl.TimeToLiveDescription?.TimeToLiveStatus;
  const recovery = backups.ContinuousBackupsDescription?.PointInTimeRecoveryDescription;
  return {
    tags: new Map((tags.Tags ?? []).map((t) => [t.Key, t.Value])),
    ttl: ttlStatus === 'ENABLED' || ttlStatus === 'ENABLING' ? { AttributeName: ttl.TimeToLiveDescription?.AttributeName ?? '', Enabled: true } : undefined,
    pitr: { enabled: recovery?.PointInTimeRecoveryStatus === 'ENABLED', days: recovery?.RecoveryPeriodInDays ?? defaultRecoveryDays },
    insights: insights.ContributorInsightsStatus === 'ENABLED' || insights.ContributorInsightsStatus === 'ENABLING',
    policy: policy.Policy,
  };
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function keyText(keys: readonly Json[]): string {
  return keys.map((k) => `${String(k['AttributeName'])} ${String(k['KeyType'])}`).join(', ');
}

function sameKeys(a: readonly Json[], b: readonly Json[]): boolean {
  return keyText(a) === keyText(b);
}

function sameProjection(a: Json, b: Json | undefined): boolean {
  const nonKey = (p: Json | undefined): string => [...((p?.['NonKeyAttributes'] as string[] | undefined) ?? [])].sort().join(',');
  return String(a['ProjectionType'] ?? 'ALL') === String(b?.['ProjectionType'] ?? 'ALL') && nonKey(a) === nonKey(b);
}

function samePolicy(a: string | undefined, b: string | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  try {
    return same(JSON.parse(a), JSON.parse(b));
  } catch {
    return a === b;
  }
}

/** The attribute definitions a request with `keys` needs: those of the file naming them. */
function definitionsFor(desired: DesiredTable, keys: readonly Json[]): Json[] {
  const all = desired.create['AttributeDefinitions'] as readonly Json[];
  return keys.map((k) => all.find((a) => a['AttributeName'] === k['AttributeName'])).filter((a): a is Json => a !== undefined);
}

function updateStep(desired: DesiredTable, text: string, body: Json): Step {
  return {
    text,
    async run(api) {
      await api.call(desired.region, 'UpdateTable', { TableName: desired.name, ...body });
      await waitForTable(api, desired.region, desired.name);
    },
  };
}

function callStep(desired: DesiredTable, text: string, operation: string, body: Json): Step {
  return { text, run: async (api) => void (await api.call(desired.region, operation, body)) };
}

function arnOf(desired: DesiredTable, accountId: string): string {
  return `arn:aws:dynamodb:${desired.region}:${accountId}:table/${desired.name}`;
}

/** The settings beside the table itself: TTL, PITR, Contributor Insights, resource policy, tags. */
function settingSteps(desired: DesiredTable, current: CurrentSettings | undefined, accountId: string): Step[] {
  const steps: Step[] = [];
  const want = desired.ttl;
  const have = current?.ttl;
  if (!same(want, have)) {
    if (have !== undefined) steps.push(callStep(desired, `turn TTL off (attribute ${have.AttributeName})`, 'UpdateTimeToLive', { TableName: desired.name, TimeToLiveSpecification: { AttributeName: have.AttributeName, Enabled: false } }));
    if (want !== undefined) steps.push(callStep(desired, `turn TTL on (attribute ${want.AttributeName})`, 'UpdateTimeToLive', { TableName: desired.name, TimeToLiveSpecification: want }));
  }
  const pitr = desired.pitr ?? { enabled: false };
  const days = pitr.recoveryPeriodInDays ?? defaultRecoveryDays;
  const pitrHave = current?.pitr ?? { enabled: false, days: defaultRecoveryDays };
  if (pitr.enabled !== pitrHave.enabled || (pitr.enabled && days !== pitrHave.days)) {
    steps.push(callStep(desired, pitr.enabled ? `turn point-in-time recovery on (${days} days)` : 'turn point-in-time recovery off', 'UpdateContinuousBackups', {
      TableName: desired.name, PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: pitr.enabled, ...(pitr.enabled && pitr.recoveryPeriodInDays !== undefined ? { RecoveryPeriodInDays: days } : {}) },
    }));
  }
  if (desired.contributorInsights !== (current?.insights ?? false)) {
    steps.push(callStep(desired, `turn Contributor Insights ${desired.contributorInsights ? 'on' : 'off'}`, 'UpdateContributorInsights', { TableName: desired.name, ContributorInsightsAction: desired.contributorInsights ? 'ENABLE' : 'DISABLE' }));
  }
  if (!samePolicy(desired.resourcePolicy, current?.policy)) {
    const arn = arnOf(desired, accountId);
    steps.push(desired.resourcePolicy === undefined
      ? callStep(desired, 'delete the resource policy', 'DeleteResourcePolicy', { ResourceArn: arn })
      : callStep(desired, current?.policy === undefined ? 'put a resource policy' : 'replace the resource policy', 'PutResourcePolicy', { ResourceArn: arn, Policy: desired.resourcePolicy }));
  }
  // Tags: CreateTable sets them on a new table; an existing one gets the difference.
  if (current !== undefined) {
    const wanted = new Map(((desired.create['Tags'] as readonly { Key: string; Value: string }[] | undefined) ?? []).map((t) => [t.Key, t.Value]));
    const put = [...wanted].filter(([k, v]) => current.tags.get(k) !== v).map(([Key, Value]) => ({ Key, Value }));
    const removed = [...current.tags.keys()].filter((k) => !wanted.has(k));
    const arn = arnOf(desired, accountId);
    if (put.length > 0) steps.push(callStep(desired, `tag ${put.map((t) => `${t.Key}=${t.Value}`).join(', ')}`, 'TagResource', { ResourceArn: arn, Tags: put }));
    if (removed.length > 0) steps.push(callStep(desired, `untag ${removed.join(', ')}`, 'UntagResource', { ResourceArn: arn, TagKeys: removed }));
  }
  return steps;
}

/** The steps that make a new table as the file declares it. */
function createSteps(desired: DesiredTable, accountId: string): Step[] {
  const create = desired.create;
  const gsis = (create['GlobalSecondaryIndexes'] as readonly Gsi[] | undefined) ?? [];
  const stream = create['StreamSpecification'] as { StreamViewType?: string } | undefined;
  const billing = String(create['BillingMode']);
  const throughput = create['ProvisionedThroughput'] as Json | undefined;
  const summary = [
    `keys ${keyText(create['KeySchema'] as Json[])}`,
    billing === 'PROVISIONED' ? `PROVISIONED ${String(throughput?.['ReadCapacityUnits'])}/${String(throughput?.['WriteCapacityUnits'])}` : 'PAY_PER_REQUEST',
    ...gsis.map((g) => `GSI ${g.IndexName}`),
    ...((create['LocalSecondaryIndexes'] as readonly Gsi[] | undefined) ?? []).map((l) => `LSI ${l.IndexName}`),
    ...(stream === undefined ? [] : [`stream ${stream.StreamViewType ?? ''}`]),
  ].join('; ');
  const steps: Step[] = [{
    text: `create the table (${summary})`,
    async run(api) {
      await api.call(desired.region, 'CreateTable', create);
      await waitForTable(api, desired.region, desired.name);
    },
  }];
  for (const region of desired.replicas) steps.push(updateStep(desired, `add a replica in ${region}`, { ReplicaUpdates: [{ Create: { RegionName: region } }] }));
  steps.push(...settingSteps(desired, undefined, accountId));
  return steps;
}

/** The steps from the table as described to the table as declared; refuses what cannot change in place. */
function updateSteps(desired: DesiredTable, table: TableDescription, current: CurrentSettings, accountId: string): Step[] {
  const create = desired.create;
  const where = desired.where;
  if (!sameKeys(create['KeySchema'] as Json[], table.KeySchema)) {
    throw refuse(where, 'KeySchema', `the table ${desired.name} exists with keys ${keyText(table.KeySchema)}; a key schema cannot change in place (delete the table, or give the resource a new TableName)`);
  }
  for (const key of table.KeySchema) {
    const wanted = definitionsFor(desired, [key])[0]?.['AttributeType'];
    const existing = table.AttributeDefinitions.find((a) => a['AttributeName'] === key['AttributeName'])?.['AttributeType'];
    if (wanted !== existing) throw refuse(where, 'AttributeDefinitions', `the key attribute ${String(key['AttributeName'])} is of type ${String(existing)} in the table; a key's type cannot change in place`);
  }
  const lsiText = (list: readonly Json[] | undefined): string => (list ?? []).map((l) => `${String(l['IndexName'])}(${keyText(l['KeySchema'] as Json[])})`).sort().join(' ');
  if (lsiText(create['LocalSecondaryIndexes'] as Json[] | undefined) !== lsiText(table.LocalSecondaryIndexes)) {
    throw refuse(where, 'LocalSecondaryIndexes', `local secondary indexes are made with the table and cannot change (the table has: ${lsiText(table.LocalSecondaryIndexes) || 'none'})`);
  }
  const steps: Step[] = [];
  // A stream's view type changes by disabling it first.
  const streamWanted = create['StreamSpecification'] as { StreamViewType: string } | undefined;
  const streamHave = table.StreamSpecification?.StreamEnabled === true ? table.StreamSpecification.StreamViewType : undefined;
  if (streamHave !== undefined && streamHave !== streamWanted?.StreamViewType) steps.push(updateStep(desired, 'disable the stream', { StreamSpecification: { StreamEnabled: false } }));

  // Billing mode and throughput, with the updates of the GSIs that stay (switching to PROVISIONED needs all theirs).
  const billing = String(create['BillingMode']);
  const billingHave = table.BillingModeSummary?.BillingMode ?? 'PROVISIONED';
  const throughput = create['ProvisionedThroughput'] as Json | undefined;
  const throughputHave = { ReadCapacityUnits: table.ProvisionedThroughput?.ReadCapacityUnits, WriteCapacityUnits: table.ProvisionedThroughput?.WriteCapacityUnits };
  const gsisWanted = (create['GlobalSecondaryIndexes'] as readonly Gsi[] | undefined) ?? [];
  const gsisHave = (table.GlobalSecondaryIndexes ?? []) as readonly Gsi[];
  const kept = gsisWanted.filter((g) => {
    const have = gsisHave.find((h) => h.IndexName === g.IndexName);
    return have !== undefined && sameKeys(g.KeySchema, have.KeySchema) && sameProjection(g.Projection, have.Projection);
  });
  const throughputOf = (g: Json | undefined): Json => ({ ReadCapacityUnits: (g?.['ProvisionedThroughput'] as Json | undefined)?.['ReadCapacityUnits'], WriteCapacityUnits: (g?.['ProvisionedThroughput'] as Json | undefined)?.['WriteCapacityUnits'] });
  const settings: Record<string, unknown> = {};
  const said: string[] = [];
  if (billing !== billingHave) {
    settings['BillingMode'] = billing;
    said.push(`billing mode ${billingHave} → ${billing}`);
  }
  if (billing === 'PROVISIONED' && throughput !== undefined && (billing !== billingHave || !same(throughput, throughputHave))) {
    settings['ProvisionedThroughput'] = throughput;
    said.push(`throughput ${String(throughputHave.ReadCapacityUnits)}/${String(throughputHave.WriteCapacityUnits)} → ${String(throughput['ReadCapacityUnits'])}/${String(throughput['WriteCapacityUnits'])}`);
  }
  const gsiUpdates = billing !== 'PROVISIONED' ? [] : kept.filter((g) => billing !== billingHave || !same(throughputOf(g), throughputOf(gsisHave.find((h) => h.IndexName === g.IndexName))))
    .map((g) => ({ Update: { IndexName: g.IndexName, ProvisionedThroughput: g.ProvisionedThroughput } }));
  if (gsiUpdates.length > 0) {
    settings['GlobalSecondaryIndexUpdates'] = gsiUpdates;
    said.push(`throughput of GSI ${gsiUpdates.map((u) => u.Update.IndexName).join(', ')}`);
  }
  const demand = create['OnDemandThroughput'] as Json | undefined;
  if (billing === 'PAY_PER_REQUEST' && demand !== undefined && Object.entries(demand).some(([k, v]) => table.OnDemandThroughput?.[k] !== v)) {
    settings['OnDemandThroughput'] = demand;
    said.push(`on-demand maximums ${Object.entries(demand).map(([k, v]) => `${k} ${String(v)}`).join(', ')}`);
  }
  if (Object.keys(settings).length > 0) steps.push(updateStep(desired, `change ${said.join('; ')}`, settings));

  const classWanted = String(create['TableClass'] ?? 'STANDARD');
  const classHave = table.TableClassSummary?.TableClass ?? 'STANDARD';
  if (classWanted !== classHave) steps.push(updateStep(desired, `table class ${classHave} → ${classWanted}`, { TableClass: classWanted }));
  const sse = create['SSESpecification'] as { Enabled?: boolean; SSEType?: string; KMSMasterKeyId?: string } | undefined;
  const sseHave = table.SSEDescription?.Status === 'ENABLED' || table.SSEDescription?.Status === 'ENABLING';
  if ((sse?.Enabled ?? false) !== sseHave || (sse?.Enabled === true && sse.SSEType !== undefined && sse.SSEType !== table.SSEDescription?.SSEType)) {
    steps.push(updateStep(desired, sse?.Enabled === true ? `encrypt with ${sse.SSEType ?? 'KMS'}` : 'encrypt with the owned key (SSE off)', { SSESpecification: sse ?? { Enabled: false } }));
  }
  const protectionWanted = create['DeletionProtectionEnabled'] === true;
  if (protectionWanted !== (table.DeletionProtectionEnabled ?? false)) steps.push(updateStep(desired, `turn deletion protection ${protectionWanted ? 'on' : 'off'}`, { DeletionProtectionEnabled: protectionWanted }));

  // One GSI per UpdateTable: deletions first (a changed index is deleted and made again), then creations.
  for (const have of gsisHave) {
    if (kept.some((k) => k.IndexName === have.IndexName)) continue;
    steps.push({
      text: `delete GSI ${have.IndexName}`,
      async run(api) {
        await api.call(desired.region, 'UpdateTable', { TableName: desired.name, GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: have.IndexName } }] });
        for (;;) {
          const now = await describeTable(api, desired.region, desired.name);
          if (now === undefined || !(now.GlobalSecondaryIndexes ?? []).some((i) => i.IndexName === have.IndexName)) break;
          await api.sleep(100);
        }
        await waitForTable(api, desired.region, desired.name);
      },
    });
  }
  for (const g of gsisWanted) {
    if (kept.some((k) => k.IndexName === g.IndexName)) continue;
    steps.push(updateStep(desired, `create GSI ${g.IndexName} (keys ${keyText(g.KeySchema)}; waits for its backfill)`, {
      AttributeDefinitions: definitionsFor(desired, g.KeySchema), GlobalSecondaryIndexUpdates: [{ Create: g }],
    }));
  }
  if (streamWanted !== undefined && streamHave !== streamWanted.StreamViewType) steps.push(updateStep(desired, `enable the stream (${streamWanted.StreamViewType})`, { StreamSpecification: streamWanted }));

  const replicasHave = (table.Replicas ?? []).map((r) => r.RegionName).filter((r) => r !== desired.region);
  for (const region of desired.replicas) if (!replicasHave.includes(region)) steps.push(updateStep(desired, `add a replica in ${region}`, { ReplicaUpdates: [{ Create: { RegionName: region } }] }));
  for (const region of replicasHave) if (!desired.replicas.includes(region)) steps.push(updateStep(desired, `delete the replica in ${region}`, { ReplicaUpdates: [{ Delete: { RegionName: region } }] }));

  steps.push(...settingSteps(desired, current, accountId));
  return steps;
}

export async function planTable(api: DeployApi, desired: DesiredTable, accountId: string): Promise<TablePlan> {
  const table = await describeTable(api, desired.region, desired.name);
  if (table === undefined) return { table: desired, action: 'create', steps: createSteps(desired, accountId) };
  if (table.TableStatus === 'DELETING') throw refuse(desired.where, 'TableName', `the table ${desired.name} is being deleted; deploy again once it is gone`);
  const steps = updateSteps(desired, table, await readSettings(api, desired.region, table), accountId);
  return { table: desired, action: steps.length === 0 ? 'none' : 'update', steps };
}
