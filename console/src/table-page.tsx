// One table: its tabs (overview, items, query, stream, metrics) over one DescribeTable, refreshed
// while anything about it is still changing (creating, an index backfilling, a replica joining).
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import type { Api } from './api.js';
import { ItemsView } from './items-view.js';
import { MetricsView } from './metrics-view.js';
import { QueryView } from './query-view.js';
import { StreamView } from './stream-view.js';
import { TableIndexes } from './table-indexes.js';
import { TableSettings } from './table-settings.js';
import { attributeType, billingMode, type TableDescription } from './table-types.js';
import { bytesText, Dialog, ErrorLine, Field, TabLinks, useInterval, useLoad } from './ui.js';

const tabs = [['overview', 'Overview'], ['items', 'Items'], ['query', 'Query'], ['stream', 'Stream'], ['metrics', 'Metrics']] as const;

function changing(t: TableDescription | undefined): boolean {
  if (t === undefined) return false;
  if (t.TableStatus !== 'ACTIVE') return true;
  if ((t.GlobalSecondaryIndexes ?? []).some((g) => g.IndexStatus !== 'ACTIVE')) return true;
  return (t.Replicas ?? []).some((r) => r.ReplicaStatus !== 'ACTIVE');
}

export function TablePage({ api, name, tab }: { api: Api; name: string; tab: string }): JSX.Element {
  const table = useLoad(async () => (await api.dynamodb<{ Table: TableDescription }>('DescribeTable', { TableName: name })).Table, [api, name]);
  const [deleting, setDeleting] = useState(false);
  useInterval(() => {
    if (changing(table.value)) table.reload();
  }, 1000);
  const base = `#/tables/${encodeURIComponent(name)}`;
  const t = table.value;
  return (
    <section>
      <div class="page-head">
        <h1><a href="#/tables">Tables</a> / {name}</h1>
        <div class="actions">
          {t === undefined ? null : <span class={`status ${t.TableStatus.toLowerCase()}`}>{t.TableStatus}</span>}
          <button type="button" class="danger" onClick={() => setDeleting(true)}>Delete table</button>
        </div>
      </div>
      <TabLinks label="Table views" current={tab} tabs={tabs.map(([key, title]) => [key, title, `${base}/${key}`] as const)} />
      <ErrorLine error={table.error} />
      {t === undefined ? (table.loading ? <p class="muted">Loading…</p> : null) : (
        <>
          {tab === 'overview' ? <Overview api={api} table={t} reload={table.reload} /> : null}
          {tab === 'items' ? <ItemsView api={api} table={t} /> : null}
          {tab === 'query' ? <QueryView api={api} table={t} /> : null}
          {tab === 'stream' ? <StreamView api={api} table={t} /> : null}
          {tab === 'metrics' ? <MetricsView api={api} table={t} /> : null}
        </>
      )}
      {deleting ? <DeleteTable api={api} name={name} onClose={() => setDeleting(false)} /> : null}
    </section>
  );
}

function Overview({ api, table, reload }: { api: Api; table: TableDescription; reload: () => void }): JSX.Element {
  const keys = table.KeySchema.map((k) => `${k.AttributeName} (${attributeType(table, k.AttributeName)}, ${k.KeyType === 'HASH' ? 'partition' : 'sort'} key)`);
  return (
    <>
      <dl class="facts">
        <dt>Keys</dt><dd>{keys.join(' · ')}</dd>
        <dt>Items</dt><dd>{table.ItemCount ?? 0}</dd>
        <dt>Size</dt><dd>{bytesText(table.TableSizeBytes ?? 0)}</dd>
        <dt>Capacity</dt><dd>{billingMode(table) === 'PROVISIONED' ? `provisioned, ${table.ProvisionedThroughput?.ReadCapacityUnits ?? 0} read / ${table.ProvisionedThroughput?.WriteCapacityUnits ?? 0} write units` : 'on-demand'}</dd>
        <dt>Class</dt><dd>{table.TableClassSummary?.TableClass ?? 'STANDARD'}</dd>
        <dt>ARN</dt><dd class="mono">{table.TableArn ?? ''}</dd>
      </dl>
      <TableIndexes api={api} table={table} reload={reload} />
      <TableSettings api={api} table={table} reload={reload} />
    </>
  );
}

function DeleteTable({ api, name, onClose }: { api: Api; name: string; onClose: () => void }): JSX.Element {
  const [typed, setTyped] = useState('');
  const [error, setError] = useState<unknown>();
  const submit = async (e: Event): Promise<void> => {
    e.preventDefault();
    try {
      await api.dynamodb('DeleteTable', { TableName: name });
      location.hash = '#/tables';
    } catch (failure) {
      setError(failure);
    }
  };
  return (
    <Dialog title={`Delete ${name}?`} onClose={onClose}>
      <form onSubmit={(e) => void submit(e)}>
        <p>Every item of the table and its indexes is deleted. This cannot be undone (backups stay).</p>
        <Field label="Type the table name to confirm" value={typed} onInput={setTyped} autoFocus />
        <ErrorLine error={error} />
        <div class="actions">
          <button type="button" onClick={onClose}>Cancel</button>
          <button type="submit" class="danger" disabled={typed !== name}>Delete</button>
        </div>
      </form>
    </Dialog>
  );
}
