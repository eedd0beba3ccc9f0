// The query and scan builder: the table or one of its indexes, a key condition typed by the key's
// attribute type, filters, projection, direction, limit and consistent read, built into DynamoDB's
// expressions (with placeholders for every name and value) and run a page at a time. Shows the
// request it sent, what it returned and read, and the capacity consumed.
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import type { Api } from './api.js';
import { itemColumns } from './items-view.js';
import { attributeType, hashKey, rangeKey, type ScanOutput, type TableDescription } from './table-types.js';
import { Checkbox, ErrorLine, Field, Grid, Select } from './ui.js';
import { keyOf, keyValue, type AttributeValue, type Item } from './values.js';

const sortOperators = [['=', '='], ['<', '<'], ['<=', '<='], ['>', '>'], ['>=', '>='], ['between', 'between'], ['begins_with', 'begins with']] as const;
type SortOperator = (typeof sortOperators)[number][0];
const filterOperators = [['=', '='], ['<>', '≠'], ['<', '<'], ['<=', '<='], ['>', '>'], ['>=', '>='], ['begins_with', 'begins with'], ['contains', 'contains'], ['attribute_exists', 'exists'], ['attribute_not_exists', 'does not exist']] as const;
type FilterOperator = (typeof filterOperators)[number][0];
const valueTypes = [['S', 'String'], ['N', 'Number'], ['BOOL', 'Boolean']] as const;
type ValueType = (typeof valueTypes)[number][0];

interface Filter {
  readonly attribute: string;
  readonly operator: FilterOperator;
  readonly type: ValueType;
  readonly value: string;
}

/** Placeholders for names and values as the expression grows. */
class Placeholders {
  readonly names: Record<string, string> = {};
  readonly values: Record<string, AttributeValue> = {};
  name(n: string): string {
    const existing = Object.entries(this.names).find(([, v]) => v === n)?.[0];
    if (existing !== undefined) return existing;
    const key = `#n${Object.keys(this.names).length}`;
    this.names[key] = n;
    return key;
  }
  value(v: AttributeValue): string {
    const key = `:v${Object.keys(this.values).length}`;
    this.values[key] = v;
    return key;
  }
}

function filterValue(f: Filter): AttributeValue {
  if (f.type === 'N') return { N: f.value.trim() };
  if (f.type === 'BOOL') return { BOOL: f.value.trim() === 'true' };
  return { S: f.value };
}

function filterExpression(filters: readonly Filter[], p: Placeholders): string | undefined {
  const parts = filters.filter((f) => f.attribute.trim() !== '').map((f) => {
    const name = p.name(f.attribute.trim());
    if (f.operator === 'attribute_exists' || f.operator === 'attribute_not_exists') return `${f.operator}(${name})`;
    if (f.operator === 'begins_with' || f.operator === 'contains') return `${f.operator}(${name}, ${p.value(filterValue(f))})`;
    return `${name} ${f.operator} ${p.value(filterValue(f))}`;
  });
  return parts.length === 0 ? undefined : parts.join(' AND ');
}

export function QueryView({ api, table }: { api: Api; table: TableDescription }): JSX.Element {
  const sources = [['', `Table ${table.TableName}`] as const, ...[...(table.GlobalSecondaryIndexes ?? []), ...(table.LocalSecondaryIndexes ?? [])].map((i) => [i.IndexName, `Index ${i.IndexName}`] as const)];
  const [mode, setMode] = useState<'query' | 'scan'>('query');
  const [source, setSource] = useState('');
  const [partition, setPartition] = useState('');
  const [sortOp, setSortOp] = useState<SortOperator>('=');
  const [sortValue, setSortValue] = useState('');
  const [sortValue2, setSortValue2] = useState('');
  const [filters, setFilters] = useState<Filter[]>([]);
  const [projection, setProjection] = useState('');
  const [descending, setDescending] = useState(false);
  const [limit, setLimit] = useState('');
  const [consistent, setConsistent] = useState(false);
  const [result, setResult] = useState<{ output: ScanOutput; request: object; starts: (Item | undefined)[] } | undefined>();
  const [error, setError] = useState<unknown>();

  const index = [...(table.GlobalSecondaryIndexes ?? []), ...(table.LocalSecondaryIndexes ?? [])].find((i) => i.IndexName === source);
  const schema = index?.KeySchema ?? table.KeySchema;
  const hash = hashKey(schema);
  const range = rangeKey(schema);

  const request = (start: Item | undefined): object => {
    const p = new Placeholders();
    let keyCondition: string | undefined;
    if (mode === 'query') {
      keyCondition = `${p.name(hash)} = ${p.value(keyValue(attributeType(table, hash), partition))}`;
      if (range !== undefined && sortValue !== '') {
        const type = attributeType(table, range);
        const name = p.name(range);
        const condition = sortOp === 'between'
          ? `${name} BETWEEN ${p.value(keyValue(type, sortValue))} AND ${p.value(keyValue(type, sortValue2))}`
          : sortOp === 'begins_with' ? `begins_with(${name}, ${p.value(keyValue(type, sortValue))})` : `${name} ${sortOp} ${p.value(keyValue(type, sortValue))}`;
        keyCondition += ` AND ${condition}`;
      }
    }
    const filter = filterExpression(filters, p);
    const projected = projection.split(',').map((s) => s.trim()).filter((s) => s !== '');
    const projectionExpression = projected.length === 0 ? undefined : projected.map((n) => p.name(n)).join(', ');
    return {
      TableName: table.TableName,
      ...(source === '' ? {} : { IndexName: source }),
      ...(keyCondition === undefined ? {} : { KeyConditionExpression: keyCondition }),
      ...(filter === undefined ? {} : { FilterExpression: filter }),
      ...(projectionExpression === undefined ? {} : { ProjectionExpression: projectionExpression }),
      ...(Object.keys(p.names).length === 0 ? {} : { ExpressionAttributeNames: p.names }),
      ...(Object.keys(p.values).length === 0 ? {} : { ExpressionAttributeValues: p.values }),
      ...(mode === 'query' && descending ? { ScanIndexForward: false } : {}),
      ...(limit.trim() === '' ? {} : { Limit: Number(limit) }),
      ...(consistent ? { ConsistentRead: true } : {}),
      ReturnConsumedCapacity: 'TOTAL',
      ...(start === undefined ? {} : { ExclusiveStartKey: start }),
    };
  };

  const run = async (starts: (Item | undefined)[]): Promise<void> => {
    setError(undefined);
    const input = request(starts[starts.length - 1]);
    try {
      const output = await api.dynamodb<ScanOutput>(mode === 'query' ? 'Query' : 'Scan', input);
      setResult({ output, request: input, starts });
    } catch (failure) {
      setError(failure);
    }
  };

  const update = (i: number, f: Filter): void => setFilters(filters.map((x, j) => (j === i ? f : x)));
  const items = result?.output.Items ?? [];
  return (
    <section aria-labelledby="query-title">
      <h2 id="query-title">Query or scan</h2>
      <form onSubmit={(e) => {
        e.preventDefault();
        void run([undefined]);
      }}>
        <fieldset class="inline-options">
          <legend>Operation</legend>
          <label><input type="radio" name="operation" checked={mode === 'query'} onChange={() => setMode('query')} /> Query</label>
          <label><input type="radio" name="operation" checked={mode === 'scan'} onChange={() => setMode('scan')} /> Scan</label>
        </fieldset>
        <Select label="Table or index" value={source} options={sources} onChange={setSource} />
        {mode === 'query' ? (
          <div class="row">
            <Field label="Partition key" value={partition} onInput={setPartition} placeholder={`${hash} (${attributeType(table, hash)})`} required />
            {range === undefined ? null : (
              <>
                <Select label="Sort key condition" value={sortOp} options={sortOperators} onChange={setSortOp} />
                <Field label="Sort key" value={sortValue} onInput={setSortValue} placeholder={`${range} (${attributeType(table, range)})`} />
                {sortOp === 'between' ? <Field label="Sort key upper bound" value={sortValue2} onInput={setSortValue2} /> : null}
              </>
            )}
          </div>
        ) : null}
        <fieldset>
          <legend>Filters</legend>
          {filters.map((f, i) => (
            <div class="row" key={i}>
              <Field label={`Filter ${i + 1} attribute`} value={f.attribute} onInput={(attribute) => update(i, { ...f, attribute })} />
              <Select label={`Filter ${i + 1} condition`} value={f.operator} options={filterOperators} onChange={(operator) => update(i, { ...f, operator })} />
              <Select label={`Filter ${i + 1} type`} value={f.type} options={valueTypes} onChange={(type) => update(i, { ...f, type })} />
              <Field label={`Filter ${i + 1} value`} value={f.value} onInput={(value) => update(i, { ...f, value })} />
              <button type="button" onClick={() => setFilters(filters.filter((_, j) => j !== i))}>Remove filter {i + 1}</button>
            </div>
          ))}
          <button type="button" onClick={() => setFilters([...filters, { attribute: '', operator: '=', type: 'S', value: '' }])}>Add filter</button>
        </fieldset>
        <div class="row">
          <Field label="Attributes to return (comma-separated, empty for all)" value={projection} onInput={setProjection} />
          <Field label="Limit" type="number" value={limit} onInput={setLimit} />
        </div>
        <div class="row">
          {mode === 'query' ? <Checkbox label="Descending order" checked={descending} onChange={setDescending} /> : null}
          <Checkbox label="Strongly consistent read" checked={consistent} onChange={setConsistent} />
          <button type="submit" class="primary">Run</button>
        </div>
      </form>
      <ErrorLine error={error} />
      {result === undefined ? null : (
        <>
          <p class="summary" aria-live="polite">
            {result.output.Count ?? 0} returned, {result.output.ScannedCount ?? 0} read, {result.output.ConsumedCapacity?.CapacityUnits ?? 0} read units consumed
          </p>
          <Grid<Item> label="Results" rows={items} columns={itemColumns(items, schema.map((k) => k.AttributeName))} rowKey={(item, i) => `${i}:${JSON.stringify(keyOf(item, table.KeySchema))}`} empty="No items matched" />
          <div class="pager">
            <button type="button" disabled={result.starts.length === 1} onClick={() => void run(result.starts.slice(0, -1))}>Previous page</button>
            <button type="button" disabled={result.output.LastEvaluatedKey === undefined} onClick={() => void run([...result.starts, result.output.LastEvaluatedKey])}>Next page</button>
          </div>
          <details>
            <summary>Request sent</summary>
            <pre class="code">{JSON.stringify(result.request, null, 2)}</pre>
          </details>
        </>
      )}
    </section>
  );
}
