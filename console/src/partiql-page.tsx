// The PartiQL editor: a statement (highlighted as typed: keywords, strings, quoted names, numbers),
// run with ExecuteStatement a page at a time; the items come back in a grid.
import type { JSX } from 'preact';
import { useId, useRef, useState } from 'preact/hooks';
import type { Api } from './api.js';
import { itemColumns } from './items-view.js';
import { ErrorLine, Grid } from './ui.js';
import type { Item } from './values.js';

const keywords = new Set(('SELECT FROM WHERE INSERT INTO VALUE UPDATE SET REMOVE DELETE AND OR NOT BETWEEN IN IS MISSING NULL TRUE FALSE ' +
  'EXISTS BEGINS_WITH CONTAINS SIZE ATTRIBUTE_TYPE RETURNING ALL OLD NEW MODIFIED ORDER BY ASC DESC LIST_APPEND SET_ADD SET_DELETE').split(' '));

interface Token {
  readonly kind: 'keyword' | 'string' | 'name' | 'number' | 'text';
  readonly text: string;
}

/** The statement cut into tokens for colouring (an unclosed quote runs to the end). */
function tokens(statement: string): Token[] {
  const out: Token[] = [];
  const pattern = /('(?:[^']|'')*'?)|("(?:[^"]|"")*"?)|(\b\d+(?:\.\d+)?(?:[eE][+-]?\d+)?\b)|([A-Za-z_][A-Za-z0-9_]*)|(\s+|[^'"A-Za-z0-9_\s]+|.)/gy;
  let match: RegExpExecArray | null;
  while ((match = pattern.exec(statement)) !== null && match[0] !== '') {
    const [text, str, name, num, word] = match;
    if (str !== undefined) out.push({ kind: 'string', text });
    else if (name !== undefined) out.push({ kind: 'name', text });
    else if (num !== undefined) out.push({ kind: 'number', text });
    else if (word !== undefined) out.push({ kind: keywords.has(word.toUpperCase()) ? 'keyword' : 'text', text });
    else out.push({ kind: 'text', text });
  }
  return out;
}

interface StatementOutput {
  readonly Items?: Item[];
  readonly NextToken?: string;
  readonly ConsumedCapacity?: { readonly CapacityUnits?: number };
}

export function PartiqlPage({ api }: { api: Api }): JSX.Element {
  const [statement, setStatement] = useState('SELECT * FROM ');
  const [result, setResult] = useState<{ items: Item[]; next?: string; units: number; ran: string } | undefined>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const backdrop = useRef<HTMLPreElement>(null);
  const id = useId();

  const run = async (next?: string): Promise<void> => {
    setBusy(true);
    setError(undefined);
    const ran = next === undefined ? statement : (result?.ran ?? statement);
    try {
      const output = await api.dynamodb<StatementOutput>('ExecuteStatement', { Statement: ran, ReturnConsumedCapacity: 'TOTAL', ...(next === undefined ? {} : { NextToken: next }) });
      setResult({ items: output.Items ?? [], ...(output.NextToken === undefined ? {} : { next: output.NextToken }), units: output.ConsumedCapacity?.CapacityUnits ?? 0, ran });
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  const items = result?.items ?? [];
  return (
    <section>
      <h1>PartiQL</h1>
      <form onSubmit={(e) => {
        e.preventDefault();
        void run();
      }}>
        <label for={id}>Statement</label>
        <div class="highlighted">
          <pre ref={backdrop} aria-hidden="true" class="code backdrop">
            {tokens(statement).map((t, i) => (t.kind === 'text' ? t.text : <span key={i} class={`t-${t.kind}`}>{t.text}</span>))}
            {'\n'}
          </pre>
          <textarea id={id} class="code" rows={6} spellcheck={false} value={statement}
            onInput={(e) => setStatement(e.currentTarget.value)}
            onScroll={(e) => {
              if (backdrop.current !== null) backdrop.current.scrollTop = e.currentTarget.scrollTop;
            }}
            onKeyDown={(e) => {
              // Ctrl+Enter (or Cmd+Enter) runs the statement.
              if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
                e.preventDefault();
                void run();
              }
            }} />
        </div>
        <div class="row">
          <button type="submit" class="primary" disabled={busy}>Run</button>
          <span class="muted">Ctrl+Enter runs it too</span>
        </div>
      </form>
      <ErrorLine error={error} />
      {result === undefined ? null : (
        <>
          <p class="summary" aria-live="polite">{items.length} items, {result.units} capacity units consumed</p>
          <Grid<Item> label="Statement results" rows={items} columns={itemColumns(items, [])} rowKey={(_, i) => String(i)} empty="No items" />
          {result.next === undefined ? null : <button type="button" onClick={() => void run(result.next)}>Next page</button>}
        </>
      )}
    </section>
  );
}
