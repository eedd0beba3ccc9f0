// Items as Amazon Ion text, by DynamoDB's documented mapping for Ion exports: S → string, N →
// decimal, B → blob, BOOL → bool, NULL → null, L → list, M → struct, and sets as lists annotated
// $dynamodb_SS / $dynamodb_NS / $dynamodb_BS. Field names are symbols when Ion allows them bare,
// else quoted strings.
import type { AttributeMap, AttributeValue } from '../../model/attribute-value.js';

const bareSymbol = /^[A-Za-z_][A-Za-z0-9_]*$/;
const keywords = new Set(['null', 'true', 'false', 'nan']);

function fieldName(name: string): string {
  return bareSymbol.test(name) && !keywords.has(name) ? name : JSON.stringify(name);
}

/** A DynamoDB number as an Ion decimal: `103.`, `1.5`, `-2d-7`. */
function decimal(text: string): string {
  const lower = text.toLowerCase();
  if (lower.includes('e')) return lower.replace('e', 'd');
  return text.includes('.') ? text : `${text}.`;
}

function blob(base64: string): string {
  return `{{${base64}}}`;
}

export function ionValue(value: AttributeValue): string {
  if ('S' in value) return JSON.stringify(value.S);
  if ('N' in value) return decimal(value.N);
  if ('B' in value) return blob(value.B);
  if ('BOOL' in value) return value.BOOL ? 'true' : 'false';
  if ('NULL' in value) return 'null';
  if ('SS' in value) return `$dynamodb_SS::[${value.SS.map((s) => JSON.stringify(s)).join(',')}]`;
  if ('NS' in value) return `$dynamodb_NS::[${value.NS.map(decimal).join(',')}]`;
  if ('BS' in value) return `$dynamodb_BS::[${value.BS.map(blob).join(',')}]`;
  if ('L' in value) return `[${value.L.map(ionValue).join(',')}]`;
  return ionStruct(value.M);
}

export function ionStruct(map: AttributeMap): string {
  const fields: string[] = [];
  for (const name in map) fields.push(`${fieldName(name)}:${ionValue(map[name] as AttributeValue)}`);
  return `{${fields.join(',')}}`;
}
