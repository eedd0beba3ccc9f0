// The legacy condition parameters — Expected (writes) and QueryFilter/ScanFilter-style conditions —
// checked with DynamoDB's texts and expressed in the same condition AST as expressions.
import type { Comparator, Condition, Operand } from '../../expressions/ast.js';
import { compareValues } from '../../expressions/compare.js';
import type { KeyCondition, KeyOperator } from '../../expressions/key-condition.js';
import type { AttributeValue } from '../../model/attribute-value.js';
import { typeOf } from '../../model/attribute-value.js';
import { ValidationException } from '../../errors/errors.js';
import { messages } from '../../errors/messages.js';
import { normalizeAttributeValue } from './attribute-value.js';

export type ComparisonOperator = 'EQ' | 'NE' | 'LE' | 'LT' | 'GE' | 'GT' | 'NULL' | 'NOT_NULL' | 'CONTAINS' | 'NOT_CONTAINS' | 'BEGINS_WITH' | 'IN' | 'BETWEEN';

export interface ExpectedAttributeValue {
  readonly Value?: Readonly<Record<string, unknown>>;
  readonly Exists?: boolean;
  readonly ComparisonOperator?: ComparisonOperator;
  readonly AttributeValueList?: readonly Readonly<Record<string, unknown>>[];
}

export interface LegacyCondition {
  readonly ComparisonOperator: ComparisonOperator;
  readonly AttributeValueList?: readonly Readonly<Record<string, unknown>>[];
}

const comparators: Partial<Record<ComparisonOperator, Comparator>> = { EQ: '=', NE: '<>', LE: '<=', LT: '<', GE: '>=', GT: '>' };

/** How many values each operator takes ([min, max] for IN). */
function countFits(operator: ComparisonOperator, count: number): boolean {
  switch (operator) {
    case 'NULL':
    case 'NOT_NULL':
      return count === 0;
    case 'IN':
      return count > 0;
    case 'BETWEEN':
      return count === 2;
    default:
      return count === 1;
  }
}

/**
 * Which attribute types an operator accepts, in Expected, filters and key conditions alike. EQ and NE
 * take any type, lists and maps included (the API reference: "supported for all data types, including lists and maps").
 */
const operandTypes: Partial<Record<ComparisonOperator, readonly string[]>> = {
  LE: ['S', 'N', 'B'], LT: ['S', 'N', 'B'], GE: ['S', 'N', 'B'], GT: ['S', 'N', 'B'],
  CONTAINS: ['S', 'N', 'B'], NOT_CONTAINS: ['S', 'N', 'B'], BEGINS_WITH: ['S', 'B'], IN: ['S', 'N', 'B'], BETWEEN: ['S', 'N', 'B'],
};

function operatorCondition(name: string, operator: ComparisonOperator, values: readonly AttributeValue[]): Condition {
  const path: Operand = { kind: 'path', path: [name] };
  const value = (i: number): Operand => ({ kind: 'value', value: values[i] as AttributeValue });
  const comparator = comparators[operator];
  if (comparator !== undefined) return { kind: 'compare', op: comparator, left: path, right: value(0) };
  switch (operator) {
    case 'NULL':
      return { kind: 'not_exists', path: [name] };
    case 'NOT_NULL':
      return { kind: 'exists', path: [name] };
    case 'CONTAINS':
      return { kind: 'contains', subject: path, operand: value(0) };
    case 'NOT_CONTAINS':
      // Unlike NOT contains(…) in an expression, the legacy operator is false for a missing attribute.
      return { kind: 'and', left: { kind: 'exists', path: [name] }, right: { kind: 'not', operand: { kind: 'contains', subject: path, operand: value(0) } } };
    case 'BEGINS_WITH':
      return { kind: 'begins_with', subject: path, operand: value(0) };
    case 'IN':
      return { kind: 'in', subject: path, list: values.map((_, i) => value(i)) };
    default:
      return { kind: 'between', subject: path, low: value(0), high: value(1) };
  }
}

/** The number of values, their common type, and the types the operator accepts. */
function checkValues(operator: ComparisonOperator, values: readonly AttributeValue[]): void {
  if (!countFits(operator, values.length)) throw new ValidationException(messages.legacyArgumentCount(operator));
  const first = values[0];
  if (first !== undefined && values.some((v) => typeOf(v) !== typeOf(first))) throw new ValidationException(messages.legacySameType);
  const allowed = operandTypes[operator];
  const wrong = allowed === undefined ? undefined : values.find((v) => !allowed.includes(typeOf(v)));
  if (wrong !== undefined) throw new ValidationException(messages.legacyOperatorType(operator, typeOf(wrong)));
}

function checkBetween(operator: ComparisonOperator, values: readonly AttributeValue[]): void {
  if (operator === 'BETWEEN' && (compareValues(values[0] as AttributeValue, values[1] as AttributeValue) ?? 0) > 0) {
    throw new ValidationException(messages.legacyBetweenBounds);
  }
}

function combine(conditions: Condition[], operator: 'AND' | 'OR' | undefined): Condition | undefined {
  const kind = operator === 'OR' ? 'or' : 'and';
  return conditions.reduce<Condition | undefined>((all, c) => (all === undefined ? c : { kind, left: all, right: c }), undefined);
}

/** Expected (PutItem, DeleteItem, UpdateItem) as a condition, checked as DynamoDB checks it. */
export function expectedCondition(expected: Readonly<Record<string, ExpectedAttributeValue>> | undefined, operator: 'AND' | 'OR' | undefined): Condition | undefined {
  if (expected === undefined) return undefined;
  const conditions: Condition[] = [];
  for (const [name, e] of Object.entries(expected)) {
    if (e.AttributeValueList !== undefined && e.Value !== undefined) throw new ValidationException(messages.legacyValueAndList(name));
    if (e.ComparisonOperator !== undefined) {
      const op = e.ComparisonOperator;
      if (e.Exists !== undefined) throw new ValidationException(messages.legacyExistsAndOperator(name));
      if (op !== 'NULL' && op !== 'NOT_NULL' && e.AttributeValueList === undefined && e.Value === undefined) throw new ValidationException(messages.legacyOperatorNeedsValue(op, name));
      const raw = e.AttributeValueList ?? (e.Value === undefined ? [] : [e.Value]);
      const values = raw.map((v) => normalizeAttributeValue(v, 1));
      checkValues(op, values);
      checkBetween(op, values);
      conditions.push(operatorCondition(name, op, values));
    } else if (e.AttributeValueList !== undefined) {
      throw new ValidationException(messages.legacyListWithoutOperator(name));
    } else {
      const exists = e.Exists ?? true;
      if (exists && e.Value === undefined) throw new ValidationException(messages.legacyValueRequired(e.Exists === undefined ? 'null' : 'true', name));
      if (!exists && e.Value !== undefined) throw new ValidationException(messages.legacyValueForbidden(name));
      if (e.Value === undefined) conditions.push({ kind: 'not_exists', path: [name] });
      else conditions.push(operatorCondition(name, 'EQ', [normalizeAttributeValue(e.Value, 1)]));
    }
  }
  return combine(conditions, operator);
}

/** A filter or key condition's values, checked with the per-operator type rules they share. */
function checkedValues(c: LegacyCondition): AttributeValue[] {
  const values = (c.AttributeValueList ?? []).map((v) => normalizeAttributeValue(v, 1));
  checkValues(c.ComparisonOperator, values);
  checkBetween(c.ComparisonOperator, values);
  return values;
}

/** QueryFilter / ScanFilter conditions. */
export function filterCondition(filter: Readonly<Record<string, LegacyCondition>> | undefined, operator: 'AND' | 'OR' | undefined): Condition | undefined {
  if (filter === undefined) return undefined;
  const conditions = Object.entries(filter).map(([name, c]) => operatorCondition(name, c.ComparisonOperator, checkedValues(c)));
  return combine(conditions, operator);
}

const keyOperators = new Set<ComparisonOperator>(['EQ', 'LE', 'LT', 'GE', 'GT', 'BEGINS_WITH', 'BETWEEN']);

/** Legacy KeyConditions (Query) in the form KeyConditionExpression resolves to. */
export function keyConditions(conditions: Readonly<Record<string, LegacyCondition>>): KeyCondition[] {
  const out: KeyCondition[] = [];
  for (const [name, c] of Object.entries(conditions)) {
    const values = checkedValues(c);
    if (!keyOperators.has(c.ComparisonOperator)) throw new ValidationException(messages.notIndexable);
    out.push({ name, operator: c.ComparisonOperator as KeyOperator, values });
  }
  return out;
}
