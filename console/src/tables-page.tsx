// The region's tables: each with its status, items, size, indexes, stream, TTL, PITR and replicas;
// and the form that creates one.
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import type { Api } from './api.js';
import { CreateTableForm } from './create-table-form.js';
import { billingMode, type TableDescription } from './table-types.js';
import { bytesText, ErrorLine, Grid, useLoad } from './ui.js';

interface TableRow {
  readonly table: TableDescription;
  readonly ttl: string;
  readonly pitr: string;
}

async function tableRows(api: Api): Promise<TableRow[]> {
  const names: string[] = [];
  let start: string | undefined;
  do {
    const page = await api.dynamodb<{ TableNames: string[]; LastEvaluatedTableName?: string }>('ListTables', start === undefined ? {} : { ExclusiveStartTableName: start });
    names.push(...page.TableNames);
    start = page.LastEvaluatedTableName;
  } while (start !== undefined);
  return Promise.all(names.map(async (name) => {
    const [described, ttl, backups] = await Promise.all([
      api.dynamodb<{ Table: TableDescription }>('DescribeTable', { TableName: name }),
      api.dynamodb<{ TimeToLiveDescription?: { TimeToLiveStatus?: string; AttributeName?: string } }>('DescribeTimeToLive', { TableName: name }).catch(() => ({ TimeToLiveDescription: undefined })),
      api.dynamodb<{ ContinuousBackupsDescription?: { PointInTimeRecoveryDescription?: { PointInTimeRecoveryStatus?: string } } }>('DescribeContinuousBackups', { TableName: name }).catch(() => ({ ContinuousBackupsDescription: undefined })),
    ]);
    const t = ttl.TimeToLiveDescription;
    return {
      table: described.Table,
      ttl: t?.TimeToLiveStatus === 'ENABLED' ? `on (${t.AttributeName ?? ''})` : (t?.TimeToLiveStatus ?? 'DISABLED').toLowerCase(),
      pitr: (backups.ContinuousBackupsDescription?.PointInTimeRecoveryDescription?.PointInTimeRecoveryStatus ?? 'DISABLED').toLowerCase(),
    };
  }));
}

export function TablesPage({ api }: { api: Api }): JSX.Element {
  const rows = useLoad(() => tableRows(api), [api]);
  const [creating, setCreating] = useState(false);
  return (
    <section>
      <div class="page-head">
        <h1>Tables <span class="muted">in {api.credentials.region}</span></h1>
        <div class="actions">
          <button type="button" onClick={rows.reload}>Refresh</button>
          <button type="button" class="primary" onClick={() => setCreating(true)}>Create table</button>
        </div>
      </div>
      <ErrorLine error={rows.error} />
      <Grid<TableRow>
        label="Tables"
        rows={rows.value ?? []}
        rowKey={(r) => r.table.TableName}
        empty={rows.loading ? 'Loading…' : 'No tables in this region yet'}
        columns={[
          { title: 'Name', cell: (r) => <a href={`#/tables/${encodeURIComponent(r.table.TableName)}`}>{r.table.TableName}</a> },
          { title: 'Status', cell: (r) => <span class={`status ${r.table.TableStatus.toLowerCase()}`}>{r.table.TableStatus}</span> },
          { title: 'Items', cell: (r) => String(r.table.ItemCount ?? 0) },
          { title: 'Size', cell: (r) => bytesText(r.table.TableSizeBytes ?? 0) },
          { title: 'Indexes', cell: (r) => indexSummary(r.table) },
          { title: 'Capacity', cell: (r) => billingMode(r.table) === 'PROVISIONED' ? `${r.table.ProvisionedThroughput?.ReadCapacityUnits ?? 0} R / ${r.table.ProvisionedThroughput?.WriteCapacityUnits ?? 0} W` : 'on-demand' },
          { title: 'Stream', cell: (r) => r.table.StreamSpecification?.StreamEnabled === true ? r.table.StreamSpecification.StreamViewType ?? 'on' : 'off' },
          { title: 'TTL', cell: (r) => r.ttl },
          { title: 'PITR', cell: (r) => r.pitr },
          { title: 'Replicas', cell: (r) => (r.table.Replicas ?? []).map((x) => x.RegionName).join(', ') || '—' },
        ]}
      />
      {creating ? <CreateTableForm api={api} onClose={() => setCreating(false)} onCreated={(name) => {
        setCreating(false);
        location.hash = `#/tables/${encodeURIComponent(name)}`;
      }} /> : null}
    </section>
  );
}

function indexSummary(t: TableDescription): string {
  const gsi = t.GlobalSecondaryIndexes?.length ?? 0;
  const lsi = t.LocalSecondaryIndexes?.length ?? 0;
  if (gsi + lsi === 0) return '—';
  return [gsi > 0 ? `${gsi} GSI` : '', lsi > 0 ? `${lsi} LSI` : ''].filter((s) => s !== '').join(', ');
}
