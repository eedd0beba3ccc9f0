// Semantic checks of attribute values (after check-types.ts) with DynamoDB's texts, producing the
// normalised value the engine stores: numbers in canonical form, sets sorted as DynamoDB returns them.
import type { AttributeMap, AttributeValue } from '../../model/attribute-value.js';
import { compareNumbers, formatNumber, parseNumber, type DecimalNumber } from '../../model/number.js';
import { ValidationException } from '../../errors/errors.js';
import { messages } from '../../errors/messages.js';
import { setOwn } from '../../model/own-properties.js';
import { nestingDepthMax } from './check-types.js';

/** DynamoDB: attribute names are at most 65,535 bytes, at every nesting level. */
export const attributeNameBytesMax = 65535;

function checkName(name: string): void {
  if (name === '') throw new ValidationException(messages.emptyAttributeName);
  // Only a long name can be over the limit; measuring every name would cost the hot path.
  if (name.length * 3 > attributeNameBytesMax && Buffer.byteLength(name, 'utf8') > attributeNameBytesMax) {
    throw new ValidationException(messages.attributeNameTooLarge);
  }
}

/** A key or start key: its names are matched against the schema afterwards. */
export function normalizeAttributeMap(map: Readonly<Record<string, unknown>>): AttributeMap {
  const out: Record<string, AttributeValue> = {};
  for (const name in map) {
    if (name !== '') checkName(name);
    setOwn(out, name, normalizeAttributeValue(map[name] as Record<string, unknown>, 1));
  }
  return out;
}

/** An item to store: every top-level name is checked before any value (as DynamoDB orders it). */
export function normalizeItem(map: Readonly<Record<string, unknown>>): AttributeMap {
  for (const name in map) checkName(name);
  const out: Record<string, AttributeValue> = {};
  for (const name in map) setOwn(out, name, normalizeAttributeValue(map[name] as Record<string, unknown>, 1));
  return out;
}

export function normalizeAttributeValue(value: Readonly<Record<string, unknown>>, depth: number): AttributeValue {
  if (depth > nestingDepthMax) throw new ValidationException(messages.nestingTooDeep);
  const types = Object.keys(value);
  if (types.length === 0) throw new ValidationException(messages.emptyAttributeValue);
  let result: AttributeValue | undefined;
  for (const type of types) result = normalizeTyped(type, value[type], depth);
  if (types.length > 1 || result === undefined) throw new ValidationException(messages.severalDatatypes);
  return result;
}

function normalizeTyped(type: string, v: unknown, depth: number): AttributeValue {
  switch (type) {
    case 'S':
      return { S: v as string };
    case 'B':
      return { B: v as string };
    case 'BOOL':
      return { BOOL: v as boolean };
    case 'NULL':
      if (v !== true) throw new ValidationException(messages.nullMustBeTrue);
      return { NULL: true };
    case 'N':
      return { N: formatNumber(checkNumber(v as string)) };
    case 'SS':
      return { SS: normalizeStringSet(v as string[]) };
    case 'NS':
      return { NS: normalizeNumberSet(v as string[]) };
    case 'BS':
      return { BS: normalizeBinarySet(v as string[]) };
    case 'M': {
      const entries = v as Record<string, Record<string, unknown>>;
      const out: Record<string, AttributeValue> = {};
      for (const name in entries) {
        checkName(name);
        setOwn(out, name, normalizeAttributeValue(entries[name] as Record<string, unknown>, depth + 1));
      }
      return { M: out };
    }
    case 'L':
      return { L: (v as Record<string, unknown>[]).map((e) => normalizeAttributeValue(e, depth + 1)) };
    default:
      throw new ValidationException(messages.emptyAttributeValue);
  }
}

export function checkNumber(text: string): DecimalNumber {
  if (text === '') throw new ValidationException(messages.notNumeric);
  const parsed = parseNumber(text);
  switch (parsed) {
    case 'syntax':
      throw new ValidationException(messages.notNumericValue(text));
    case 'overflow':
      throw new ValidationException(messages.numberOverflow);
    case 'underflow':
      throw new ValidationException(messages.numberUnderflow);
    case 'precision':
      throw new ValidationException(messages.numberPrecision);
    default:
      return parsed;
  }
}

function renderSet(values: readonly string[]): string {
  return `[${values.join(', ')}]`;
}

function normalizeStringSet(values: string[]): string[] {
  if (values.length === 0) throw new ValidationException(messages.emptyStringSet);
  const sorted = values.map((s) => ({ s, bytes: Buffer.from(s, 'utf8') })).sort((a, b) => Buffer.compare(a.bytes, b.bytes));
  for (let i = 1; i < sorted.length; i++) {
    if ((sorted[i] as { s: string }).s === (sorted[i - 1] as { s: string }).s) throw new ValidationException(messages.duplicateStrings(renderSet(values)));
  }
  return sorted.map((e) => e.s);
}

function normalizeNumberSet(values: string[]): string[] {
  if (values.length === 0) throw new ValidationException(messages.emptyNumberSet);
  const parsed = values.map(checkNumber).sort(compareNumbers);
  for (let i = 1; i < parsed.length; i++) {
    if (compareNumbers(parsed[i] as DecimalNumber, parsed[i - 1] as DecimalNumber) === 0) throw new ValidationException(messages.duplicateNumbers);
  }
  return parsed.map(formatNumber);
}

function normalizeBinarySet(values: string[]): string[] {
  if (values.length === 0) throw new ValidationException(messages.emptyBinarySet);
  const sorted = values.map((b) => ({ b, bytes: Buffer.from(b, 'base64') })).sort((x, y) => Buffer.compare(x.bytes, y.bytes));
  for (let i = 1; i < sorted.length; i++) {
    if ((sorted[i] as { b: string }).b === (sorted[i - 1] as { b: string }).b) throw new ValidationException(messages.duplicateBinaries(renderSet(values)));
  }
  return sorted.map((e) => e.b);
}
