// Evaluates a resolved condition against an item (or against no item: every path is missing).
// A comparison with a missing attribute or mismatched types is false, never an error.
import type { AttributeMap, AttributeValue } from '../model/attribute-value.js';
import { typeOf } from '../model/attribute-value.js';
import type { Comparator, Condition, Operand } from './ast.js';
import { compareValues, valuesEqual } from './compare.js';
import { readPath } from './document-path.js';

const empty: AttributeMap = {};

export function evaluateCondition(condition: Condition, item: AttributeMap | undefined): boolean {
  const doc = item ?? empty;
  switch (condition.kind) {
    case 'and':
      return evaluateCondition(condition.left, doc) && evaluateCondition(condition.right, doc);
    case 'or':
      return evaluateCondition(condition.left, doc) || evaluateCondition(condition.right, doc);
    case 'not':
      return !evaluateCondition(condition.operand, doc);
    case 'exists':
      return readPath(doc, condition.path) !== undefined;
    case 'not_exists':
      return readPath(doc, condition.path) === undefined;
    case 'attribute_type': {
      const value = readPath(doc, condition.path);
      const type = operandValue(condition.type, doc);
      return value !== undefined && type !== undefined && 'S' in type && typeOf(value) === type.S;
    }
    case 'begins_with':
      return beginsWith(operandValue(condition.subject, doc), operandValue(condition.operand, doc));
    case 'contains':
      return contains(operandValue(condition.subject, doc), operandValue(condition.operand, doc));
    case 'compare':
      return compare(condition.op, operandValue(condition.left, doc), operandValue(condition.right, doc));
    case 'between': {
      const value = operandValue(condition.subject, doc);
      const low = operandValue(condition.low, doc);
      const high = operandValue(condition.high, doc);
      if (value === undefined || low === undefined || high === undefined) return false;
      const fromLow = compareValues(value, low);
      const toHigh = compareValues(value, high);
      return fromLow !== undefined && toHigh !== undefined && fromLow >= 0 && toHigh <= 0;
    }
    case 'in': {
      const value = operandValue(condition.subject, doc);
      if (value === undefined) return false;
      return condition.list.some((o) => {
        const candidate = operandValue(o, doc);
        return candidate !== undefined && valuesEqual(value, candidate);
      });
    }
  }
}

function compare(op: Comparator, left: AttributeValue | undefined, right: AttributeValue | undefined): boolean {
  if (op === '<>') return left === undefined || right === undefined || !valuesEqual(left, right);
  if (left === undefined || right === undefined) return false;
  if (op === '=') return valuesEqual(left, right);
  const order = compareValues(left, right);
  if (order === undefined) return false;
  switch (op) {
    case '<':
      return order < 0;
    case '<=':
      return order <= 0;
    case '>':
      return order > 0;
    case '>=':
      return order >= 0;
  }
}

function operandValue(operand: Operand, doc: AttributeMap): AttributeValue | undefined {
  switch (operand.kind) {
    case 'value':
      return operand.value;
    case 'path':
      return readPath(doc, operand.path);
    case 'size': {
      const value = operandValue(operand.operand, doc);
      const size = value === undefined ? undefined : sizeOf(value);
      return size === undefined ? undefined : { N: String(size) };
    }
  }
}

function sizeOf(value: AttributeValue): number | undefined {
  if ('S' in value) return value.S.length;
  if ('B' in value) return Buffer.from(value.B, 'base64').length;
  if ('SS' in value) return value.SS.length;
  if ('NS' in value) return value.NS.length;
  if ('BS' in value) return value.BS.length;
  if ('L' in value) return value.L.length;
  if ('M' in value) return Object.keys(value.M).length;
  return undefined;
}

function beginsWith(value: AttributeValue | undefined, prefix: AttributeValue | undefined): boolean {
  if (value === undefined || prefix === undefined) return false;
  if ('S' in value && 'S' in prefix) return value.S.startsWith(prefix.S);
  if ('B' in value && 'B' in prefix) return Buffer.from(value.B, 'base64').subarray(0, Buffer.from(prefix.B, 'base64').length).equals(Buffer.from(prefix.B, 'base64'));
  return false;
}

function contains(value: AttributeValue | undefined, needle: AttributeValue | undefined): boolean {
  if (value === undefined || needle === undefined) return false;
  if ('S' in value) return 'S' in needle && value.S.includes(needle.S);
  if ('B' in value) return 'B' in needle && Buffer.from(value.B, 'base64').includes(Buffer.from(needle.B, 'base64'));
  if ('SS' in value) return 'S' in needle && value.SS.includes(needle.S);
  if ('NS' in value) return 'N' in needle && value.NS.some((n) => valuesEqual({ N: n }, needle));
  if ('BS' in value) return 'B' in needle && value.BS.includes(needle.B);
  if ('L' in value) return value.L.some((element) => valuesEqual(element, needle));
  return false;
}
