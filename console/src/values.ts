// DynamoDB's attribute values in the browser: shown in a grid cell, converted to and from plain JSON
// for the item editor (numbers keep their digits: a number JSON cannot hold exactly stays DynamoDB
// JSON), and the key of an item.
import type { JsonObject, JsonValue } from './api.js';

export type AttributeValue =
  | { S: string } | { N: string } | { B: string } | { BOOL: boolean } | { NULL: true }
  | { SS: string[] } | { NS: string[] } | { BS: string[] }
  | { L: AttributeValue[] } | { M: Item };
export type Item = { [name: string]: AttributeValue };

export interface KeyElement {
  readonly AttributeName: string;
  readonly KeyType: 'HASH' | 'RANGE';
}

/** The type descriptor of a value (S, N, M, …). */
export function typeOf(value: AttributeValue): string {
  return Object.keys(value)[0] ?? '';
}

/** A value as one line of a grid cell. */
export function cellText(value: AttributeValue | undefined): string {
  if (value === undefined) return '';
  if ('S' in value) return value.S;
  if ('N' in value) return value.N;
  if ('B' in value) return value.B;
  if ('BOOL' in value) return String(value.BOOL);
  if ('NULL' in value) return 'null';
  if ('SS' in value) return `{${value.SS.join(', ')}}`;
  if ('NS' in value) return `{${value.NS.join(', ')}}`;
  if ('BS' in value) return `{${value.BS.join(', ')}}`;
  return JSON.stringify(toPlainValue(value));
}

/** Why an item cannot be edited as plain JSON (sets, binary, or numbers JSON would change), or undefined. */
export function plainObstacle(item: Item): string | undefined {
  for (const [name, value] of Object.entries(item)) {
    const why = valueObstacle(value);
    if (why !== undefined) return `${name}: ${why}`;
  }
  return undefined;
}

function valueObstacle(value: AttributeValue): string | undefined {
  if ('SS' in value || 'NS' in value || 'BS' in value) return 'a set has no plain JSON form';
  if ('B' in value) return 'a binary value has no plain JSON form';
  if ('N' in value && String(Number(value.N)) !== canonicalNumber(value.N)) return `the number ${value.N} would lose digits in JSON`;
  if ('L' in value) return value.L.map(valueObstacle).find((w) => w !== undefined);
  if ('M' in value) return plainObstacle(value.M);
  return undefined;
}

/** A DynamoDB number as JavaScript would print it back (so 1.50 and 1.5 compare equal). */
function canonicalNumber(text: string): string {
  const n = Number(text);
  return Number.isFinite(n) ? String(n) : text;
}

export function toPlain(item: Item): JsonObject {
  const out: JsonObject = {};
  for (const [name, value] of Object.entries(item)) out[name] = toPlainValue(value);
  return out;
}

function toPlainValue(value: AttributeValue): JsonValue {
  if ('S' in value) return value.S;
  if ('N' in value) return Number(value.N);
  if ('BOOL' in value) return value.BOOL;
  if ('NULL' in value) return null;
  if ('L' in value) return value.L.map(toPlainValue);
  if ('M' in value) return toPlain(value.M);
  if ('SS' in value) return value.SS;
  if ('NS' in value) return value.NS.map(Number);
  if ('BS' in value) return value.BS;
  return value.B;
}

/** Plain JSON as an item; a value JSON cannot name the type of (null inside, say) maps as DynamoDB's SDKs map it. */
export function fromPlain(json: JsonObject): Item {
  const out: Item = {};
  for (const [name, value] of Object.entries(json)) out[name] = fromPlainValue(value);
  return out;
}

function fromPlainValue(value: JsonValue): AttributeValue {
  if (value === null) return { NULL: true };
  if (typeof value === 'string') return { S: value };
  if (typeof value === 'number') return { N: String(value) };
  if (typeof value === 'boolean') return { BOOL: value };
  if (Array.isArray(value)) return { L: value.map(fromPlainValue) };
  return { M: fromPlain(value) };
}

/** The key attributes of an item. */
export function keyOf(item: Item, keySchema: readonly KeyElement[]): Item {
  const key: Item = {};
  for (const k of keySchema) {
    const value = item[k.AttributeName];
    if (value !== undefined) key[k.AttributeName] = value;
  }
  return key;
}

/** A typed key value from the text of a form field: N and B as DynamoDB writes them, S as is. */
export function keyValue(type: string, text: string): AttributeValue {
  if (type === 'N') return { N: text.trim() };
  if (type === 'B') return { B: text.trim() };
  return { S: text };
}
