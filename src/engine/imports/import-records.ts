// The records of an import's object in its format, each as a DynamoDB JSON line would hold it
// (`{"Item": {...}}`, still unchecked) or the reason it could not be read: DynamoDB JSON and Amazon
// Ion are one item a line (blank lines skipped); CSV is read by csv-parse, its first record the header
// unless the request gave a HeaderList, every column a string except the key attributes of the table
// and its indexes, which take their defined types — as DynamoDB documents its three import formats.
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { parse } from 'csv-parse';
import { dom, IonTypes, loadAll } from 'ion-js';

export type ImportFormat = 'DYNAMODB_JSON' | 'ION' | 'CSV';

export interface CsvOptions {
  readonly Delimiter?: string;
  readonly HeaderList?: readonly string[];
}

/** One record: its 0-based index in the object, and its content or the reason it is unreadable. */
export type SourceRecord = { readonly index: number; readonly record: unknown } | { readonly index: number; readonly error: string };

export interface RecordOptions {
  readonly csv: CsvOptions | undefined;
  /** The types of the key attributes of the table and its indexes (CSV columns of these names are typed). */
  readonly keyTypes: ReadonlyMap<string, 'S' | 'N' | 'B'>;
}

/** The records of an object's (decompressed) bytes, a chunk at a time. */
export function readRecords(bytes: Readable, format: ImportFormat, options: RecordOptions): AsyncGenerator<SourceRecord[]> {
  switch (format) {
    case 'DYNAMODB_JSON':
      return lineRecords(bytes, jsonLine);
    case 'ION':
      return lineRecords(bytes, ionLine);
    case 'CSV':
      return csvRecords(bytes, options);
  }
}

async function* lineRecords(bytes: Readable, read: (line: string) => unknown[]): AsyncGenerator<SourceRecord[]> {
  const decoder = new StringDecoder('utf8');
  let rest = '';
  let index = 0;
  const recordsOf = (lines: string[]): SourceRecord[] => {
    const out: SourceRecord[] = [];
    for (const line of lines) {
      if (line.trim() === '') continue;
      try {
        for (const record of read(line)) out.push({ index: index++, record });
      } catch (error) {
        out.push({ index: index++, error: error instanceof Error ? error.message : String(error) });
      }
    }
    return out;
  };
  for await (const chunk of bytes) {
    const text = rest + decoder.write(chunk as Buffer);
    const lines = text.split('\n');
    rest = lines.pop() ?? '';
    yield recordsOf(lines);
  }
  yield recordsOf([rest + decoder.end()]);
}

function jsonLine(line: string): unknown[] {
  try {
    return [JSON.parse(line)];
  } catch {
    throw new Error('The line is not valid JSON');
  }
}

/** A line of Ion text: each top-level value a record, converted to DynamoDB JSON. */
function ionLine(line: string): unknown[] {
  let values: dom.Value[];
  try {
    values = loadAll(line);
  } catch (error) {
    throw new Error(`The line is not valid Ion text: ${error instanceof Error ? error.message : String(error)}`);
  }
  return values.map((value) => {
    if (value.getType() !== IonTypes.STRUCT || value.isNull()) throw new Error('An Ion record must be a struct with an Item field');
    const item = value.get('Item');
    return item === null ? {} : { Item: ionMap(item) };
  });
}

function ionMap(value: dom.Value): Record<string, unknown> {
  if (value.getType() !== IonTypes.STRUCT || value.isNull()) throw new Error('Item must be an Ion struct');
  const out: Record<string, unknown> = {};
  for (const [name, field] of value.fields()) out[name] = ionValue(field);
  return out;
}

const setAnnotations: Readonly<Record<string, 'SS' | 'NS' | 'BS'>> = { $dynamodb_SS: 'SS', $dynamodb_NS: 'NS', $dynamodb_BS: 'BS' };

/** An Ion value as a DynamoDB attribute value, by DynamoDB's documented mapping. */
function ionValue(value: dom.Value): Record<string, unknown> {
  if (value.isNull()) return { NULL: true };
  const type = value.getType();
  switch (type) {
    case IonTypes.STRING:
      return { S: value.stringValue() };
    case IonTypes.BOOL:
      return { BOOL: value.booleanValue() };
    case IonTypes.DECIMAL:
    case IonTypes.INT:
    case IonTypes.FLOAT:
      return { N: ionNumber(value) };
    case IonTypes.BLOB:
      return { B: Buffer.from(value.uInt8ArrayValue() ?? new Uint8Array(0)).toString('base64') };
    case IonTypes.LIST: {
      const members = [...value.elements()];
      const set = value.getAnnotations().map((a) => setAnnotations[a]).find((t) => t !== undefined);
      if (set === undefined) return { L: members.map(ionValue) };
      return { [set]: members.map((m) => setMember(m, set)) };
    }
    case IonTypes.STRUCT:
      return { M: ionMap(value) };
    default:
      throw new Error(`Ion type ${type.name} has no DynamoDB counterpart`);
  }
}

function setMember(value: dom.Value, set: 'SS' | 'NS' | 'BS'): string {
  const expected = set === 'SS' ? [IonTypes.STRING] : set === 'NS' ? [IonTypes.DECIMAL, IonTypes.INT, IonTypes.FLOAT] : [IonTypes.BLOB];
  if (value.isNull() || !expected.includes(value.getType())) throw new Error(`A member of a $dynamodb_${set} list has Ion type ${value.getType().name}`);
  const member = ionValue(value);
  return String(member['S'] ?? member['N'] ?? member['B']);
}

function ionNumber(value: dom.Value): string {
  const type = value.getType();
  if (type === IonTypes.DECIMAL) return String(value.decimalValue());
  if (type === IonTypes.INT) return String(value.bigIntValue());
  const float = value.numberValue();
  if (float === null || !Number.isFinite(float)) throw new Error('An Ion float that is not finite has no DynamoDB counterpart');
  return String(float);
}

async function* csvRecords(bytes: Readable, options: RecordOptions): AsyncGenerator<SourceRecord[]> {
  const parser = bytes.pipe(parse({ delimiter: options.csv?.Delimiter ?? ',', relax_column_count: true, relax_quotes: true, skip_empty_lines: true, bom: true }));
  let header = options.csv?.HeaderList;
  let index = 0;
  let out: SourceRecord[] = [];
  for await (const row of parser as AsyncIterable<string[]>) {
    if (header === undefined) {
      header = row;
      continue;
    }
    const at = index++;
    if (row.length !== header.length) {
      out.push({ index: at, error: `The record has ${row.length} columns and the header ${header.length}` });
    } else {
      const item: Record<string, unknown> = {};
      header.forEach((name, i) => {
        const text = row[i] ?? '';
        const type = options.keyTypes.get(name);
        if (type !== undefined) item[name] = { [type]: text };
        else if (text !== '') item[name] = { S: text };
      });
      out.push({ index: at, record: { Item: item } });
    }
    if (out.length >= 256) {
      yield out;
      out = [];
    }
  }
  yield out;
}
