// A table's indexes: their keys, projection, status and backfill; a GSI added (UpdateTable
// GlobalSecondaryIndexUpdates Create, backfilled while the table stays writable) or deleted.
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import type { Api } from './api.js';
import { KeyFields, keySchema, type KeyDraft } from './create-table-form.js';
import { billingMode, type IndexDescription, type TableDescription } from './table-types.js';
import { bytesText, Dialog, ErrorLine, Field, Grid, useAction, useLoad } from './ui.js';

interface IndexRow {
  readonly kind: 'GSI' | 'LSI';
  readonly index: IndexDescription;
}

/** The backfill progress of the GSIs being made: CloudWatch's OnlineIndexPercentageProgress, its latest value. */
async function backfillProgress(api: Api, table: TableDescription): Promise<Map<string, number>> {
  const building = (table.GlobalSecondaryIndexes ?? []).filter((g) => g.IndexStatus === 'CREATING' || g.Backfilling === true);
  const progress = new Map<string, number>();
  if (building.length === 0) return progress;
  const end = Date.now() / 1000;
  const data = await api.call<{ MetricDataResults: { Id: string; Values: number[] }[] }>('cloudwatch', 'GetMetricData', {
    StartTime: end - 180, EndTime: end + 60, ScanBy: 'TimestampDescending',
    MetricDataQueries: building.map((g, i) => ({
      Id: `i${i}`,
      MetricStat: { Metric: { Namespace: 'AWS/DynamoDB', MetricName: 'OnlineIndexPercentageProgress', Dimensions: [{ Name: 'TableName', Value: table.TableName }, { Name: 'GlobalSecondaryIndexName', Value: g.IndexName }] }, Period: 60, Stat: 'Maximum' },
    })),
  });
  for (const r of data.MetricDataResults) {
    const index = building[Number(r.Id.slice(1))];
    if (index !== undefined && r.Values[0] !== undefined) progress.set(index.IndexName, r.Values[0]);
  }
  return progress;
}

export function TableIndexes({ api, table, reload }: { api: Api; table: TableDescription; reload: () => void }): JSX.Element {
  const [adding, setAdding] = useState(false);
  const progress = useLoad(() => backfillProgress(api, table), [api, table]);
  const action = useAction(reload);
  const rows: IndexRow[] = [
    ...(table.GlobalSecondaryIndexes ?? []).map((index) => ({ kind: 'GSI' as const, index })),
    ...(table.LocalSecondaryIndexes ?? []).map((index) => ({ kind: 'LSI' as const, index })),
  ];
  const remove = async (name: string): Promise<void> => {
    if (!confirm(`Delete the index ${name}?`)) return;
    await action.run(() => api.dynamodb('UpdateTable', { TableName: table.TableName, GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: name } }] }));
  };
  return (
    <section aria-labelledby="indexes-title">
      <div class="page-head">
        <h2 id="indexes-title">Indexes</h2>
        <button type="button" onClick={() => setAdding(true)}>Add global secondary index</button>
      </div>
      <ErrorLine error={action.error} />
      <Grid<IndexRow>
        label="Indexes"
        rows={rows}
        rowKey={(r) => r.index.IndexName}
        empty="No secondary indexes"
        columns={[
          { title: 'Name', cell: (r) => r.index.IndexName },
          { title: 'Kind', cell: (r) => r.kind },
          { title: 'Keys', cell: (r) => r.index.KeySchema.map((k) => `${k.AttributeName} (${k.KeyType === 'HASH' ? 'partition' : 'sort'})`).join(', ') },
          { title: 'Projection', cell: (r) => [r.index.Projection?.ProjectionType ?? 'ALL', ...(r.index.Projection?.NonKeyAttributes ?? [])].join(' ') },
          { title: 'Status', cell: (r) => r.kind === 'LSI' ? 'ACTIVE' : `${r.index.IndexStatus ?? ''}${r.index.Backfilling === true ? ` (backfilling${progressText(progress.value?.get(r.index.IndexName))})` : ''}` },
          { title: 'Items', cell: (r) => String(r.index.ItemCount ?? 0) },
          { title: 'Size', cell: (r) => bytesText(r.index.IndexSizeBytes ?? 0) },
          { title: 'Actions', cell: (r) => r.kind === 'GSI' && r.index.IndexStatus === 'ACTIVE' ? <button type="button" onClick={() => void remove(r.index.IndexName)}>Delete {r.index.IndexName}</button> : null },
        ]}
      />
      {adding ? <AddIndex api={api} table={table} onClose={() => setAdding(false)} onAdded={() => {
        setAdding(false);
        reload();
      }} /> : null}
    </section>
  );
}

const progressText = (percent: number | undefined): string => (percent === undefined ? '' : `, ${percent.toFixed(0)}%`);

function AddIndex({ api, table, onClose, onAdded }: { api: Api; table: TableDescription; onClose: () => void; onAdded: () => void }): JSX.Element {
  const [name, setName] = useState('');
  const [hash, setHash] = useState<KeyDraft>({ name: '', type: 'S' });
  const [range, setRange] = useState<KeyDraft>({ name: '', type: 'S' });
  const [error, setError] = useState<unknown>();
  const submit = async (e: Event): Promise<void> => {
    e.preventDefault();
    const definitions = new Map<string, 'S' | 'N' | 'B'>();
    const schema = keySchema(hash, range, definitions);
    const provisioned = billingMode(table) === 'PROVISIONED';
    try {
      await api.dynamodb('UpdateTable', {
        TableName: table.TableName,
        AttributeDefinitions: [...definitions].map(([AttributeName, AttributeType]) => ({ AttributeName, AttributeType })),
        GlobalSecondaryIndexUpdates: [{ Create: { IndexName: name.trim(), KeySchema: schema, Projection: { ProjectionType: 'ALL' }, ...(provisioned ? { ProvisionedThroughput: { ReadCapacityUnits: table.ProvisionedThroughput?.ReadCapacityUnits ?? 5, WriteCapacityUnits: table.ProvisionedThroughput?.WriteCapacityUnits ?? 5 } } : {}) } }],
      });
      onAdded();
    } catch (failure) {
      setError(failure);
    }
  };
  return (
    <Dialog title="Add global secondary index" onClose={onClose}>
      <form onSubmit={(e) => void submit(e)}>
        <Field label="Index name" value={name} onInput={setName} required autoFocus />
        <KeyFields label="Index partition key" value={hash} onChange={setHash} required />
        <KeyFields label="Index sort key (optional)" value={range} onChange={setRange} />
        <ErrorLine error={error} />
        <div class="actions">
          <button type="button" onClick={onClose}>Cancel</button>
          <button type="submit" class="primary">Add index</button>
        </div>
      </form>
    </Dialog>
  );
}
