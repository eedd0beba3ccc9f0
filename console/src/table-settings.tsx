// What DynamoDB lets change on a live table: its stream, TTL, deletion protection, point-in-time
// recovery, tags and replicas (with each replication link's lag from the server's counters).
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import type { Api } from './api.js';
import { regions } from './regions.js';
import type { TableDescription } from './table-types.js';
import { ErrorLine, Field, Grid, Select, useAction, useLoad } from './ui.js';

interface Settings {
  readonly ttl: { readonly TimeToLiveStatus?: string; readonly AttributeName?: string };
  readonly pitr: string;
  readonly tags: readonly { Key: string; Value: string }[];
}

interface LinkStatus {
  readonly table: string;
  readonly from: string;
  readonly to: string;
  readonly pending: number;
  readonly latencyP50Ms?: number;
  readonly latencyP99Ms?: number;
  readonly cut: boolean;
}

const viewTypes = ['NEW_AND_OLD_IMAGES', 'NEW_IMAGE', 'OLD_IMAGE', 'KEYS_ONLY'] as const;

export function TableSettings({ api, table, reload }: { api: Api; table: TableDescription; reload: () => void }): JSX.Element {
  const settings = useLoad(async (): Promise<Settings> => {
    const [ttl, backups, tags] = await Promise.all([
      api.dynamodb<{ TimeToLiveDescription?: Settings['ttl'] }>('DescribeTimeToLive', { TableName: table.TableName }),
      api.dynamodb<{ ContinuousBackupsDescription?: { PointInTimeRecoveryDescription?: { PointInTimeRecoveryStatus?: string } } }>('DescribeContinuousBackups', { TableName: table.TableName }),
      api.dynamodb<{ Tags?: { Key: string; Value: string }[] }>('ListTagsOfResource', { ResourceArn: table.TableArn ?? '' }),
    ]);
    return { ttl: ttl.TimeToLiveDescription ?? {}, pitr: backups.ContinuousBackupsDescription?.PointInTimeRecoveryDescription?.PointInTimeRecoveryStatus ?? 'DISABLED', tags: tags.Tags ?? [] };
  }, [api, table]);
  const [ttlName, setTtlName] = useState('');
  const [viewType, setViewType] = useState<(typeof viewTypes)[number]>('NEW_AND_OLD_IMAGES');
  const [tagKey, setTagKey] = useState('');
  const [tagValue, setTagValue] = useState('');
  const [replicaRegion, setReplicaRegion] = useState(regions.find((r) => r !== api.credentials.region) ?? 'us-west-2');

  const action = useAction(() => {
    settings.reload();
    reload();
  });
  const run = (operation: string, input: object): Promise<boolean> => action.run(() => api.dynamodb(operation, input));
  const name = table.TableName;
  const s = settings.value;
  const streamOn = table.StreamSpecification?.StreamEnabled === true;
  const ttlOn = s?.ttl.TimeToLiveStatus === 'ENABLED' || s?.ttl.TimeToLiveStatus === 'ENABLING';
  return (
    <section aria-labelledby="settings-title">
      <h2 id="settings-title">Settings</h2>
      <ErrorLine error={action.error ?? settings.error} />
      <div class="settings">
        <div class="setting">
          <h3>Stream</h3>
          <p>{streamOn ? `On: ${table.StreamSpecification?.StreamViewType ?? ''}` : 'Off'}</p>
          {streamOn
            ? <button type="button" onClick={() => void run('UpdateTable', { TableName: name, StreamSpecification: { StreamEnabled: false } })}>Turn stream off</button>
            : (
              <div class="row">
                <Select label="Stream view type" value={viewType} options={viewTypes} onChange={setViewType} />
                <button type="button" onClick={() => void run('UpdateTable', { TableName: name, StreamSpecification: { StreamEnabled: true, StreamViewType: viewType } })}>Turn stream on</button>
              </div>
            )}
        </div>
        <div class="setting">
          <h3>Time to live</h3>
          <p>{s === undefined ? '…' : ttlOn ? `On: attribute ${s.ttl.AttributeName ?? ''}` : 'Off'}</p>
          {ttlOn
            ? <button type="button" onClick={() => void run('UpdateTimeToLive', { TableName: name, TimeToLiveSpecification: { Enabled: false, AttributeName: s?.ttl.AttributeName ?? '' } })}>Turn TTL off</button>
            : (
              <div class="row">
                <Field label="TTL attribute" value={ttlName} onInput={setTtlName} placeholder="expiresAt" />
                <button type="button" onClick={() => void run('UpdateTimeToLive', { TableName: name, TimeToLiveSpecification: { Enabled: true, AttributeName: ttlName.trim() } })}>Turn TTL on</button>
              </div>
            )}
        </div>
        <div class="setting">
          <h3>Deletion protection</h3>
          <p>{table.DeletionProtectionEnabled === true ? 'On' : 'Off'}</p>
          <button type="button" onClick={() => void run('UpdateTable', { TableName: name, DeletionProtectionEnabled: table.DeletionProtectionEnabled !== true })}>
            {table.DeletionProtectionEnabled === true ? 'Turn deletion protection off' : 'Turn deletion protection on'}
          </button>
        </div>
        <div class="setting">
          <h3>Point-in-time recovery</h3>
          <p>{s === undefined ? '…' : s.pitr === 'ENABLED' ? 'On' : 'Off'}</p>
          <button type="button" onClick={() => void run('UpdateContinuousBackups', { TableName: name, PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: s?.pitr !== 'ENABLED' } })}>
            {s?.pitr === 'ENABLED' ? 'Turn PITR off' : 'Turn PITR on'}
          </button>
        </div>
      </div>
      <h3>Tags</h3>
      <Grid<{ Key: string; Value: string }>
        label="Tags" rows={s?.tags ?? []} rowKey={(t) => t.Key} empty="No tags"
        columns={[
          { title: 'Key', cell: (t) => t.Key },
          { title: 'Value', cell: (t) => t.Value },
          { title: 'Actions', cell: (t) => <button type="button" onClick={() => void run('UntagResource', { ResourceArn: table.TableArn ?? '', TagKeys: [t.Key] })}>Remove tag {t.Key}</button> },
        ]}
      />
      <form class="row" onSubmit={(e) => {
        e.preventDefault();
        void run('TagResource', { ResourceArn: table.TableArn ?? '', Tags: [{ Key: tagKey, Value: tagValue }] }).then((done) => {
          if (!done) return;
          setTagKey('');
          setTagValue('');
        });
      }}>
        <Field label="Tag key" value={tagKey} onInput={setTagKey} />
        <Field label="Tag value" value={tagValue} onInput={setTagValue} />
        <button type="submit">Add tag</button>
      </form>
      <Replicas api={api} table={table} replicaRegion={replicaRegion} setReplicaRegion={setReplicaRegion} run={run} />
    </section>
  );
}

function Replicas({ api, table, replicaRegion, setReplicaRegion, run }: { api: Api; table: TableDescription; replicaRegion: string; setReplicaRegion: (r: string) => void; run: (op: string, input: object) => Promise<boolean> }): JSX.Element {
  const links = useLoad(async () => (await api.status<{ replication?: LinkStatus[] }>('/stratusdb/metrics')).replication ?? [], [table]);
  // DescribeTable lists the other regions' replicas; this region's table is one of them too.
  const others = (table.Replicas ?? []).filter((r) => r.RegionName !== api.credentials.region);
  const replicas = others.length === 0 ? [] : [{ RegionName: api.credentials.region, ReplicaStatus: table.TableStatus }, ...others];
  const lagOf = (region: string): string => {
    const link = (links.value ?? []).find((l) => l.table === table.TableName && l.to === region && l.from === api.credentials.region);
    if (link === undefined) return '—';
    return `${link.cut ? 'cut off, ' : ''}${link.pending} pending, p50 ${link.latencyP50Ms ?? 0} ms, p99 ${link.latencyP99Ms ?? 0} ms`;
  };
  return (
    <>
      <h3>Replicas (global table)</h3>
      <Grid<{ RegionName: string; ReplicaStatus?: string }>
        label="Replicas" rows={replicas} rowKey={(r) => r.RegionName} empty="Not a global table: no replicas"
        columns={[
          { title: 'Region', cell: (r) => r.RegionName },
          { title: 'Status', cell: (r) => r.ReplicaStatus ?? '' },
          { title: 'Replication from here', cell: (r) => r.RegionName === api.credentials.region ? 'this region' : lagOf(r.RegionName) },
          { title: 'Actions', cell: (r) => r.RegionName === api.credentials.region ? null : <button type="button" onClick={() => void run('UpdateTable', { TableName: table.TableName, ReplicaUpdates: [{ Delete: { RegionName: r.RegionName } }] })}>Remove replica {r.RegionName}</button> },
        ]}
      />
      <div class="row">
        <Select label="Replica region" value={replicaRegion} options={regions.filter((r) => r !== api.credentials.region)} onChange={setReplicaRegion} />
        <button type="button" onClick={() => void run('UpdateTable', { TableName: table.TableName, ReplicaUpdates: [{ Create: { RegionName: replicaRegion } }] })}>Add replica</button>
      </div>
    </>
  );
}
