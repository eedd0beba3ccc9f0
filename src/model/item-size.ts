// Item size as DynamoDB computes it for the 400 KB limit and for capacity units: attribute names in
// UTF-8 plus each value's size; documents add 3 bytes plus 1 byte per element.
import type { AttributeMap, AttributeValue } from './attribute-value.js';
import { numberSizeBytes, parseNumber } from './number.js';

/** DynamoDB: "The maximum item size in DynamoDB is 400 KB". */
export const itemSizeBytesMax = 400 * 1024;
/** Overhead of a map or list value. */
const documentOverheadBytes = 3;

export function itemSizeBytes(item: AttributeMap): number {
  let size = 0;
  for (const name in item) size += Buffer.byteLength(name, 'utf8') + valueSizeBytes(item[name] as AttributeValue);
  return size;
}

export function valueSizeBytes(value: AttributeValue): number {
  if ('S' in value) return Buffer.byteLength(value.S, 'utf8');
  if ('N' in value) return numberTextSize(value.N);
  if ('B' in value) return base64Bytes(value.B);
  if ('BOOL' in value || 'NULL' in value) return 1;
  if ('SS' in value) return value.SS.reduce((sum, s) => sum + Buffer.byteLength(s, 'utf8'), 0);
  if ('NS' in value) return value.NS.reduce((sum, n) => sum + numberTextSize(n), 0);
  if ('BS' in value) return value.BS.reduce((sum, b) => sum + base64Bytes(b), 0);
  if ('L' in value) return value.L.reduce((sum, v) => sum + 1 + valueSizeBytes(v), documentOverheadBytes);
  let size = documentOverheadBytes;
  for (const name in value.M) size += 1 + Buffer.byteLength(name, 'utf8') + valueSizeBytes(value.M[name] as AttributeValue);
  return size;
}

function numberTextSize(text: string): number {
  const parsed = parseNumber(text);
  return typeof parsed === 'string' ? text.length : numberSizeBytes(parsed);
}

/** Decoded length of canonical base64 without decoding it. */
export function base64Bytes(text: string): number {
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  return (text.length / 4) * 3 - padding;
}
