// One item in a text editor, as plain JSON or DynamoDB JSON (switching converts it). Saving is a
// PutItem: a new item only if its key is free (attribute_not_exists), an edited one only with its key
// unchanged. JSON that does not parse, and whatever DynamoDB refuses, is shown under the editor and
// announced with it (aria-invalid, aria-describedby).
import type { JSX } from 'preact';
import { useId, useState } from 'preact/hooks';
import type { Api, JsonObject } from './api.js';
import { hashKey, type TableDescription } from './table-types.js';
import { Dialog, ErrorLine } from './ui.js';
import { fromPlain, keyOf, plainObstacle, toPlain, type Item } from './values.js';

export type EditMode = { readonly kind: 'create' } | { readonly kind: 'edit'; readonly item: Item } | { readonly kind: 'duplicate'; readonly item: Item };
type Format = 'json' | 'dynamodb';

function text(item: Item, format: Format): string {
  return JSON.stringify(format === 'json' ? toPlain(item) : item, null, 2);
}

function parse(source: string, format: Format): Item {
  let parsed: unknown;
  try {
    parsed = JSON.parse(source);
  } catch (error) {
    throw new Error(`The item is not JSON: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('The item must be a JSON object of attributes');
  return format === 'json' ? fromPlain(parsed as JsonObject) : (parsed as Item);
}

/** A starting item: the key attributes with empty values of their types. */
function blank(table: TableDescription): Item {
  const item: Item = {};
  for (const k of table.KeySchema) {
    const type = table.AttributeDefinitions.find((a) => a.AttributeName === k.AttributeName)?.AttributeType ?? 'S';
    item[k.AttributeName] = type === 'N' ? { N: '0' } : type === 'B' ? { B: '' } : { S: '' };
  }
  return item;
}

export function ItemEditor({ api, table, mode, onClose, onSaved }: { api: Api; table: TableDescription; mode: EditMode; onClose: () => void; onSaved: () => void }): JSX.Element {
  const start = mode.kind === 'create' ? blank(table) : mode.item;
  const [format, setFormat] = useState<Format>(plainObstacle(start) === undefined ? 'json' : 'dynamodb');
  const [source, setSource] = useState(text(start, format));
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const editorId = useId();
  const errorId = useId();

  const switchTo = (next: Format): void => {
    if (next === format) return;
    try {
      const item = parse(source, format);
      const obstacle = next === 'json' ? plainObstacle(item) : undefined;
      if (obstacle !== undefined) throw new Error(`Plain JSON cannot hold this item (${obstacle}): edit it as DynamoDB JSON`);
      setSource(text(item, next));
      setFormat(next);
      setError(undefined);
    } catch (failure) {
      setError(failure);
    }
  };

  const save = async (e: Event): Promise<void> => {
    e.preventDefault();
    setError(undefined);
    setBusy(true);
    try {
      const item = parse(source, format);
      const partition = hashKey(table.KeySchema);
      if (mode.kind === 'edit' && JSON.stringify(keyOf(item, table.KeySchema)) !== JSON.stringify(keyOf(mode.item, table.KeySchema))) {
        throw new Error('The key of an item cannot change: duplicate it to make an item with another key');
      }
      await api.dynamodb('PutItem', {
        TableName: table.TableName, Item: item,
        ...(mode.kind === 'edit' ? {} : { ConditionExpression: 'attribute_not_exists(#k)', ExpressionAttributeNames: { '#k': partition } }),
      });
      onSaved();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  const title = mode.kind === 'create' ? 'Create item' : mode.kind === 'edit' ? 'Edit item' : 'Duplicate item';
  return (
    <Dialog title={title} onClose={onClose}>
      <form onSubmit={(e) => void save(e)} class="editor">
        <fieldset class="inline-options">
          <legend>Format</legend>
          <label><input type="radio" name="format" checked={format === 'json'} onChange={() => switchTo('json')} /> JSON</label>
          <label><input type="radio" name="format" checked={format === 'dynamodb'} onChange={() => switchTo('dynamodb')} /> DynamoDB JSON</label>
        </fieldset>
        <label for={editorId}>Item</label>
        <textarea id={editorId} class="code" rows={16} spellcheck={false} value={source} aria-invalid={error === undefined ? undefined : true}
          aria-describedby={error === undefined ? undefined : errorId} onInput={(e) => setSource(e.currentTarget.value)} />
        <ErrorLine error={error} id={errorId} />
        <div class="actions">
          <button type="button" onClick={onClose}>Cancel</button>
          <button type="submit" class="primary" disabled={busy}>Save</button>
        </div>
      </form>
    </Dialog>
  );
}
