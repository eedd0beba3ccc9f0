// A table's items, a page at a time: each page is one Scan with Limit (and the last page's
// LastEvaluatedKey), so showing a page never reads more than that page, whatever the table's size.
// Columns are the key attributes first, then the others the page holds, each tagged with its types.
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import type { Api } from './api.js';
import { ItemEditor, type EditMode } from './item-editor.js';
import type { ScanOutput, TableDescription } from './table-types.js';
import { ErrorLine, Grid, Select, useAction, useLoad, type Column } from './ui.js';
import { cellText, keyOf, typeOf, type Item } from './values.js';

const pageSizes = ['25', '50', '100', '250'] as const;

/** The key attributes, then every other attribute of the page by name, each with the types it holds. */
export function itemColumns(items: readonly Item[], keyNames: readonly string[]): Column<Item>[] {
  const types = new Map<string, Set<string>>();
  for (const name of keyNames) types.set(name, new Set());
  const others = new Set<string>();
  for (const item of items) {
    for (const [name, value] of Object.entries(item)) {
      if (!types.has(name)) {
        types.set(name, new Set());
        others.add(name);
      }
      types.get(name)?.add(typeOf(value));
    }
  }
  const names = [...keyNames, ...[...others].sort()];
  return names.map((name) => ({ title: name, tag: [...(types.get(name) ?? [])].sort().join('|'), cell: (item: Item) => <span class={`v-${item[name] === undefined ? 'none' : typeOf(item[name])}`}>{cellText(item[name])}</span> }));
}

export function ItemsView({ api, table }: { api: Api; table: TableDescription }): JSX.Element {
  const [pageSize, setPageSize] = useState<(typeof pageSizes)[number]>('50');
  // The start key of each page shown so far: the first page starts at the beginning.
  const [starts, setStarts] = useState<(Item | undefined)[]>([undefined]);
  const [editing, setEditing] = useState<EditMode | undefined>();
  const start = starts[starts.length - 1];
  const page = useLoad(() => api.dynamodb<ScanOutput>('Scan', { TableName: table.TableName, Limit: Number(pageSize), ReturnConsumedCapacity: 'TOTAL', ...(start === undefined ? {} : { ExclusiveStartKey: start }) }), [api, table.TableName, pageSize, start]);
  const keyNames = table.KeySchema.map((k) => k.AttributeName);
  const items = page.value?.Items ?? [];
  const action = useAction(page.reload);
  const remove = async (item: Item): Promise<void> => {
    const key = keyOf(item, table.KeySchema);
    if (!confirm(`Delete the item ${JSON.stringify(Object.values(key).map(cellText))}?`)) return;
    await action.run(() => api.dynamodb('DeleteItem', { TableName: table.TableName, Key: key }));
  };
  const columns: Column<Item>[] = [
    {
      title: 'Actions',
      cell: (item) => {
        const label = Object.values(keyOf(item, table.KeySchema)).map(cellText).join(' / ');
        return (
          <span class="row-actions">
            <button type="button" aria-label={`Edit ${label}`} onClick={() => setEditing({ kind: 'edit', item })}>Edit</button>
            <button type="button" aria-label={`Duplicate ${label}`} onClick={() => setEditing({ kind: 'duplicate', item })}>Duplicate</button>
            <button type="button" aria-label={`Delete ${label}`} onClick={() => void remove(item)}>Delete</button>
          </span>
        );
      },
    },
    ...itemColumns(items, keyNames),
  ];
  return (
    <section aria-labelledby="items-title">
      <div class="page-head">
        <h2 id="items-title">Items</h2>
        <div class="actions">
          <button type="button" onClick={page.reload}>Refresh</button>
          <button type="button" class="primary" onClick={() => setEditing({ kind: 'create' })}>Create item</button>
        </div>
      </div>
      <ErrorLine error={action.error ?? page.error} />
      <Grid<Item> label="Items" rows={items} columns={columns} rowKey={(item) => JSON.stringify(keyOf(item, table.KeySchema))} empty={page.loading ? 'Loading…' : 'No items'} />
      <div class="pager">
        <Select label="Items per page" value={pageSize} options={pageSizes} onChange={(size) => {
          setPageSize(size);
          setStarts([undefined]);
        }} />
        <span class="muted" aria-live="polite">
          Page {starts.length}: {page.value?.Count ?? 0} items, {page.value?.ScannedCount ?? 0} read, {page.value?.ConsumedCapacity?.CapacityUnits ?? 0} read units
        </span>
        <button type="button" disabled={starts.length === 1} onClick={() => setStarts(starts.slice(0, -1))}>Previous page</button>
        <button type="button" disabled={page.value?.LastEvaluatedKey === undefined} onClick={() => setStarts([...starts, page.value?.LastEvaluatedKey])}>Next page</button>
      </div>
      {editing === undefined ? null : <ItemEditor api={api} table={table} mode={editing} onClose={() => setEditing(undefined)} onSaved={() => {
        setEditing(undefined);
        page.reload();
      }} />}
    </section>
  );
}
