// The expression parameters of an item operation: legacy/expression mixing, the placeholder maps,
// each expression parsed (cached) and resolved, and unused placeholders — in DynamoDB's order.
import type { AttributeValue } from '../../model/attribute-value.js';
import type { Condition, Path, UpdateAction } from '../../expressions/ast.js';
import { resolveUpdate } from '../../expressions/resolve-update.js';
import { resolveKeyCondition, type KeyCondition } from '../../expressions/key-condition.js';
import type { ExpressionCache, Parsed } from '../../expressions/expression-cache.js';
import { resolveCondition, resolveProjection, type Substitutions } from '../../expressions/resolve.js';
import { ValidationException } from '../../errors/errors.js';
import { messages } from '../../errors/messages.js';
import { valueSizeBytes } from '../../model/item-size.js';
import { normalizeAttributeValue } from './attribute-value.js';

const namePlaceholder = /^#[0-9a-zA-Z_]+$/;
/** DynamoDB: an expression is at most 4 KB, measured on its raw text (before substitution). */
export const expressionBytesMax = 4096;
const valuePlaceholder = /^:[0-9a-zA-Z_]+$/;
/** DynamoDB: a placeholder (#name or :value) is at most 255 bytes. */
export const placeholderBytesMax = 255;
/** DynamoDB: all substitutions together are at most 2 MB (placeholders, names and values). */
export const substitutionBytesMax = 2 * 1024 * 1024;

type ExpressionParameter = 'UpdateExpression' | 'ConditionExpression' | 'ProjectionExpression' | 'FilterExpression' | 'KeyConditionExpression';

export interface ExpressionInput {
  readonly UpdateExpression?: string;
  readonly KeyConditionExpression?: string;
  readonly FilterExpression?: string;
  readonly ConditionExpression?: string;
  readonly ProjectionExpression?: string;
  readonly ExpressionAttributeNames?: Readonly<Record<string, string>>;
  readonly ExpressionAttributeValues?: Readonly<Record<string, unknown>>;
}

/** Mixing with legacy parameters, and placeholder maps without expressions. */
export function checkExpressionParameters(
  input: ExpressionInput & Readonly<Record<string, unknown>>,
  expressions: readonly ExpressionParameter[],
  legacy: readonly string[],
  /** The legacy conditions ConditionalOperator joins (Expected, QueryFilter, ScanFilter). */
  conditions?: 'Expected' | 'QueryFilter' | 'ScanFilter',
): void {
  const used = expressions.filter((e) => input[e] !== undefined);
  if (used.length > 0) {
    const legacyUsed = legacy.filter((l) => input[l] !== undefined);
    if (legacyUsed.length > 0) throw new ValidationException(messages.mixedParameters(legacyUsed, used));
  }
  if (input.ExpressionAttributeNames !== undefined && used.length === 0) throw new ValidationException(messages.namesWithoutExpressions);
  const valueExpressions = expressions.filter((e) => e !== 'ProjectionExpression');
  if (valueExpressions.length > 0 && input.ExpressionAttributeValues !== undefined && valueExpressions.every((e) => input[e] === undefined)) {
    throw new ValidationException(messages.valuesWithoutExpressions(valueExpressions));
  }
  // ConditionalOperator joins two or more legacy conditions (recorded from AWS by a dual-target suite).
  if (input['ConditionalOperator'] !== undefined) {
    const joined = conditions === undefined ? undefined : input[conditions];
    const count = typeof joined === 'object' && joined !== null ? Object.keys(joined).length : 0;
    if (count === 0) throw new ValidationException(messages.conditionalOperatorAlone);
    if (count === 1) throw new ValidationException(messages.conditionalOperatorOneCondition);
  }
  // Legacy parameters name attributes too: AttributesToGet's names, the keys of the maps.
  for (const name of legacy) {
    const value = input[name];
    const named = Array.isArray(value) ? value.includes('') : typeof value === 'object' && value !== null && Object.hasOwn(value, '');
    if (named) throw new ValidationException(messages.emptyAttributeName);
  }
}

export interface ResolvedExpressions {
  update?: UpdateAction[];
  keyConditions?: KeyCondition[];
  filter?: Condition;
  condition?: Condition;
  projection?: Path[];
}

export function resolveExpressions(input: ExpressionInput, cache: ExpressionCache): ResolvedExpressions {
  // The common request without expressions: nothing to check or resolve.
  if (input.UpdateExpression === undefined && input.ConditionExpression === undefined && input.KeyConditionExpression === undefined && input.FilterExpression === undefined
    && input.ProjectionExpression === undefined && input.ExpressionAttributeNames === undefined && input.ExpressionAttributeValues === undefined) return {};
  const subs = substitutions(input);
  const out: ResolvedExpressions = {};
  const resolve = <P, R>(parameter: ExpressionParameter, text: string, parse: (t: string) => Parsed<P>, finish: (p: P) => R | string): R => {
    checkText(parameter, text);
    const parsed = parse(text);
    if (!parsed.ok) throw invalid(parameter, parsed.message);
    const resolved = finish(parsed.value);
    if (typeof resolved === 'string') throw invalid(parameter, resolved);
    return resolved;
  };
  if (input.UpdateExpression !== undefined) {
    out.update = resolve('UpdateExpression', input.UpdateExpression, (t) => cache.update(t), (p) => resolveUpdate(p, subs));
  }
  if (input.ConditionExpression !== undefined) {
    out.condition = resolve('ConditionExpression', input.ConditionExpression, (t) => cache.condition(t), (p) => resolveCondition(p.condition, p.redundantParentheses, subs));
  }
  if (input.KeyConditionExpression !== undefined) {
    out.keyConditions = resolve('KeyConditionExpression', input.KeyConditionExpression, (t) => cache.condition(t), (p) => {
      const resolved = resolveKeyCondition(p.condition, subs);
      if (Array.isArray(resolved)) return resolved;
      if (!resolved.prefixed) throw new ValidationException(resolved.message);
      return resolved.message;
    });
  }
  if (input.FilterExpression !== undefined) {
    out.filter = resolve('FilterExpression', input.FilterExpression, (t) => cache.condition(t), (p) => resolveCondition(p.condition, p.redundantParentheses, subs));
  }
  if (input.ProjectionExpression !== undefined) {
    out.projection = resolve('ProjectionExpression', input.ProjectionExpression, (t) => cache.projection(t), (p) => resolveProjection(p.paths, subs));
  }
  const unusedNames = Object.keys(subs.names).filter((n) => !subs.usedNames.has(n));
  if (unusedNames.length > 0) throw new ValidationException(messages.unusedNames(unusedNames));
  const unusedValues = Object.keys(subs.values).filter((v) => !subs.usedValues.has(v));
  if (unusedValues.length > 0) throw new ValidationException(messages.unusedValues(unusedValues));
  return out;
}

/** Empty and oversized expressions are refused before parsing; only condition-style ones state the size. */
function checkText(parameter: ExpressionParameter, text: string): void {
  if (text === '') throw invalid(parameter, messages.emptyExpression);
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > expressionBytesMax) throw invalid(parameter, messages.expressionTooLarge(parameter === 'ConditionExpression' || parameter === 'FilterExpression' ? bytes : undefined));
}

function invalid(parameter: ExpressionParameter, message: string): ValidationException {
  return new ValidationException(messages.invalidExpression(parameter, message));
}

function substitutions(input: ExpressionInput): Substitutions {
  const names = input.ExpressionAttributeNames;
  let nameBytes = 0;
  if (names !== undefined) {
    const keys = Object.keys(names);
    if (keys.length === 0) throw new ValidationException(messages.emptyNames);
    for (const key of keys) {
      const keyBytes = placeholderBytes(key);
      if (keyBytes > placeholderBytesMax) throw new ValidationException(messages.nameKeyTooLong(keyBytes));
      if (!namePlaceholder.test(key)) throw new ValidationException(messages.invalidNameKey(key));
      const name = names[key] as string;
      if (name === '') throw new ValidationException(messages.emptyNameValue(key));
      nameBytes += keyBytes + Buffer.byteLength(name, 'utf8');
    }
  }
  const rawValues = input.ExpressionAttributeValues;
  const values: Record<string, AttributeValue> = {};
  let valueBytes = 0;
  if (rawValues !== undefined) {
    const keys = Object.keys(rawValues);
    if (keys.length === 0) throw new ValidationException(messages.emptyValues);
    for (const key of keys) {
      if (placeholderBytes(key) > placeholderBytesMax) throw new ValidationException(messages.valueKeyTooLong);
      if (!valuePlaceholder.test(key)) throw new ValidationException(messages.invalidValueKey(key));
    }
    for (const key of keys) {
      try {
        const value = normalizeAttributeValue(rawValues[key] as Record<string, unknown>, 1);
        values[key] = value;
        valueBytes += placeholderBytes(key) + valueSizeBytes(value);
      } catch (error) {
        if (error instanceof ValidationException) throw new ValidationException(messages.invalidValue(error.message, key));
        throw error;
      }
    }
  }
  if (nameBytes > substitutionBytesMax) throw new ValidationException(messages.namesTooLarge);
  if (valueBytes > substitutionBytesMax) throw new ValidationException(messages.valuesTooLarge);
  if (nameBytes + valueBytes > substitutionBytesMax) throw new ValidationException(messages.substitutionsTooLarge);
  return { names: names ?? {}, values, usedNames: new Set(), usedValues: new Set() };
}

/** UTF-8 length of a placeholder; only a long one needs measuring. */
function placeholderBytes(key: string): number {
  return key.length * 3 <= placeholderBytesMax ? key.length : Buffer.byteLength(key, 'utf8');
}
