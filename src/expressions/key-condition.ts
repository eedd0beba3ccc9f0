// KeyConditionExpression: the restricted condition Query accepts — "=" on each key, and on the
// sort key one of = < <= > >= BETWEEN begins_with — checked with DynamoDB's texts. Which names are
// the table's keys is decided by Query (it knows the schema); this yields one condition per name.
import type { AttributeValue } from '../model/attribute-value.js';
import type { Operand, RawCondition, RawOperand } from './ast.js';
import { Resolver, type Substitutions } from './resolve.js';

export type KeyOperator = 'EQ' | 'LT' | 'LE' | 'GT' | 'GE' | 'BETWEEN' | 'BEGINS_WITH';

export interface KeyCondition {
  readonly name: string;
  readonly operator: KeyOperator;
  readonly values: readonly AttributeValue[];
}

const operators: Readonly<Record<string, KeyOperator>> = { '=': 'EQ', '<': 'LT', '<=': 'LE', '>': 'GT', '>=': 'GE' };
/** With the value on the left (":v < k"), the comparison reads the other way round. */
const mirrored: Readonly<Record<KeyOperator, KeyOperator>> = { EQ: 'EQ', LT: 'GT', LE: 'GE', GT: 'LT', GE: 'LE', BETWEEN: 'BETWEEN', BEGINS_WITH: 'BEGINS_WITH' };

class KeyConditionError extends Error {}

function fail(message: string): never {
  throw new KeyConditionError(message);
}

/** Resolves a parsed KeyConditionExpression; a string is the message after "Invalid KeyConditionExpression: " or a bare message. */
export function resolveKeyCondition(raw: RawCondition, subs: Substitutions): KeyCondition[] | { message: string; prefixed: boolean } {
  const resolver = new Resolver(subs);
  const out: KeyCondition[] = [];
  try {
    collect(raw, resolver, out);
  } catch (error) {
    if (error instanceof KeyConditionError) return { message: error.message, prefixed: !error.message.startsWith('KeyConditionExpressions') };
    throw error;
  }
  const problem = resolver.problems.messageFor(['reserved', 'placeholder']);
  if (problem !== undefined) return { message: problem, prefixed: true };
  // begins_with takes a string or a binary prefix (its operand type is judged once placeholders resolve).
  const prefix = out.find((c) => c.operator === 'BEGINS_WITH')?.values[0];
  const type = prefix === undefined ? undefined : Object.keys(prefix)[0];
  if (type !== undefined && type !== 'S' && type !== 'B') {
    return { message: `Incorrect operand type for operator or function; operator or function: begins_with, operand type: ${type}`, prefixed: true };
  }
  return out;
}

function collect(raw: RawCondition, r: Resolver, out: KeyCondition[]): void {
  switch (raw.kind) {
    case 'and':
      collect(raw.left, r, out);
      collect(raw.right, r, out);
      return;
    case 'or':
    case 'not':
      return fail(`Invalid operator used in KeyConditionExpression: ${raw.kind.toUpperCase()}`);
    case 'in':
      return fail('Invalid operator used in KeyConditionExpression: IN');
    case 'compare': {
      if (raw.op === '<>') fail('Invalid operator used in KeyConditionExpression: <>');
      const [name, onLeft] = keyAttribute([raw.left, raw.right], r);
      const value = valueOf(onLeft ? raw.right : raw.left, r);
      const operator = operators[raw.op] as KeyOperator;
      add(out, { name, operator: onLeft ? operator : mirrored[operator], values: [value] });
      return;
    }
    case 'between': {
      if (raw.subject.kind !== 'path') fail('Invalid condition in KeyConditionExpression: BETWEEN operator must have the key attribute as its first operand');
      const [name] = keyAttribute([raw.subject, raw.low, raw.high], r);
      add(out, { name, operator: 'BETWEEN', values: [valueOf(raw.low, r), valueOf(raw.high, r)] });
      return;
    }
    case 'call': {
      const call = raw.call;
      if (call.name === 'size') fail('KeyConditionExpressions cannot contain nested operations');
      if (call.name !== 'begins_with') fail(`Invalid operator used in KeyConditionExpression: ${call.name}`);
      if (call.args[0]?.kind !== 'path') fail('Invalid condition in KeyConditionExpression: begins_with operator must have the key attribute as its first operand');
      const [name] = keyAttribute(call.args, r);
      add(out, { name, operator: 'BEGINS_WITH', values: call.args.slice(1).map((a) => valueOf(a, r)) });
      return;
    }
  }
}

/** The one key attribute of a condition, and whether it is the first operand. */
function keyAttribute(operands: readonly RawOperand[], r: Resolver): [string, boolean] {
  let found: { name: string; index: number } | undefined;
  operands.forEach((o, index) => {
    if (o.kind === 'call') fail('KeyConditionExpressions cannot contain nested operations');
    if (o.kind !== 'path') return;
    if (found !== undefined) fail('Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition');
    if (o.steps.length > 1) fail('KeyConditionExpressions cannot have conditions on nested attributes');
    const [name] = r.path(o.steps);
    found = { name: String(name), index };
  });
  if (found === undefined) fail('Invalid condition in KeyConditionExpression: No key attribute specified');
  return [found.name, found.index === 0];
}

function valueOf(o: RawOperand, r: Resolver): AttributeValue {
  const operand: Operand = r.operand(o);
  return operand.kind === 'value' ? operand.value : { NULL: true };
}

function add(out: KeyCondition[], condition: KeyCondition): void {
  if (out.some((c) => c.name === condition.name)) fail('KeyConditionExpressions must only contain one condition per key');
  out.push(condition);
}
