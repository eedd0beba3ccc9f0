// Turns a parsed statement's WHERE and SET/REMOVE into the expression engine's resolved conditions
// and update actions — names through placeholders (PartiQL has no reserved attribute names) and
// values from literals and parameters — so PartiQL is judged by the same evaluator and checks as
// ConditionExpression and UpdateExpression. Also finds the key equalities a statement names.
import type { AttributeValue } from '../model/attribute-value.js';
import type * as Expr from '../expressions/ast.js';
import { resolveCondition, type Substitutions } from '../expressions/resolve.js';
import { resolveUpdate } from '../expressions/resolve-update.js';
import type { Condition, Literal, Operand, PathStep, UpdateClause } from './ast.js';
import { literalValue } from './parser.js';
import { StatementError } from './lexer.js';

const orderable = new Set(['S', 'N', 'B']);
const booleanFunctions = new Set(['attribute_exists', 'attribute_not_exists', 'attribute_type', 'begins_with', 'contains']);

export class Binding implements Substitutions {
  readonly names: Record<string, string> = {};
  readonly values: Record<string, AttributeValue> = {};
  readonly usedNames = new Set<string>();
  readonly usedValues = new Set<string>();
  private readonly nameRefs = new Map<string, string>();
  private valueCount = 0;

  constructor(private readonly parameters: readonly AttributeValue[]) {}

  /** A resolved condition, or the refusal DynamoDB gives for it. */
  condition(condition: Condition): Expr.Condition {
    const resolved = resolveCondition(this.rawCondition(condition), false, this);
    if (typeof resolved === 'string') throw new StatementError(resolved);
    return resolved;
  }

  /** Resolved update actions: SET (set_add → ADD, set_delete → DELETE) and REMOVE. */
  update(clauses: readonly UpdateClause[]): Expr.UpdateAction[] {
    const actions: Expr.RawUpdateAction[] = clauses.map((clause) => {
      const path = this.rawPath(clause.path.steps);
      if (clause.kind === 'remove') return { kind: 'remove', path };
      const value = clause.value;
      if (value.kind === 'call' && (value.name === 'set_add' || value.name === 'set_delete')) {
        const set = value.args[1] as Operand;
        return { kind: value.name === 'set_add' ? 'add' : 'delete', path, value: this.valueRef(this.value(set)) };
      }
      if (value.kind === 'arithmetic') return { kind: 'set', path, value: { kind: 'arithmetic', op: value.op, left: this.rawOperand(value.left), right: this.rawOperand(value.right) } };
      return { kind: 'set', path, value: this.rawOperand(value) };
    });
    const resolved = resolveUpdate({ actions, redundantParentheses: false }, this);
    if (typeof resolved === 'string') throw new StatementError(resolved);
    return resolved;
  }

  value(operand: Operand): AttributeValue {
    if (operand.kind !== 'literal') throw new StatementError('Unexpected path component');
    return literalValue(operand.literal, this.parameters);
  }

  literal(literal: Literal): AttributeValue {
    return literalValue(literal, this.parameters);
  }

  private rawCondition(condition: Condition): Expr.RawCondition {
    switch (condition.kind) {
      case 'and':
      case 'or':
        return { kind: condition.kind, left: this.rawCondition(condition.left), right: this.rawCondition(condition.right) };
      case 'not':
        return { kind: 'not', operand: this.rawCondition(condition.operand) };
      case 'between':
        this.checkOrderable('BETWEEN', [condition.subject, condition.low, condition.high]);
        return { kind: 'between', subject: this.rawOperand(condition.subject), low: this.rawOperand(condition.low), high: this.rawOperand(condition.high) };
      case 'in':
        return { kind: 'in', subject: this.rawOperand(condition.subject), list: condition.list.map((o) => this.rawOperand(o)) };
      case 'call':
        return { kind: 'call', call: this.rawCall(condition.call) };
      case 'is': {
        const subject = this.rawOperand(condition.subject);
        if (condition.type === 'MISSING') return { kind: 'call', call: { kind: 'call', name: 'attribute_not_exists', args: [subject] } };
        return { kind: 'call', call: { kind: 'call', name: 'attribute_type', args: [subject, { kind: 'value', ref: this.valueRef({ S: condition.type }) }] } };
      }
      case 'compare': {
        // attribute_exists(a) = true, contains(…) <> false: the function itself, or its negation.
        const { left, right } = condition;
        const call = left.kind === 'call' && booleanFunctions.has(left.name) ? left : right.kind === 'call' && booleanFunctions.has(right.name) ? right : undefined;
        const other = call === left ? right : left;
        if (call !== undefined && other.kind === 'literal' && (condition.op === '=' || condition.op === '<>')) {
          const truth = this.value(other);
          if ('BOOL' in truth) {
            const raw: Expr.RawCondition = { kind: 'call', call: this.rawCall(call) };
            return truth.BOOL === (condition.op === '=') ? raw : { kind: 'not', operand: raw };
          }
        }
        if (condition.op !== '=' && condition.op !== '<>') this.checkOrderable(condition.written, [left, right]);
        return { kind: 'compare', op: condition.op, left: this.rawOperand(left), right: this.rawOperand(right) };
      }
    }
  }

  /** An ordering operator refuses a value of a type with no order, whatever the other side is. */
  private checkOrderable(operator: string, operands: readonly Operand[]): void {
    for (const operand of operands) {
      if (operand.kind !== 'literal') continue;
      const type = Object.keys(this.value(operand))[0] ?? '';
      if (!orderable.has(type)) throw new StatementError(`Incorrect operand type for operator or function; operator or function: ${operator}, operand type: ${type}`);
    }
  }

  private rawCall(call: Extract<Operand, { kind: 'call' }>): Extract<Expr.RawOperand, { kind: 'call' }> {
    return { kind: 'call', name: call.name, args: call.args.map((a) => this.rawOperand(a)) };
  }

  private rawOperand(operand: Operand): Expr.RawOperand {
    switch (operand.kind) {
      case 'path':
        return { kind: 'path', steps: this.rawPath(operand.steps) };
      case 'literal':
        return { kind: 'value', ref: this.valueRef(literalValue(operand.literal, this.parameters)) };
      case 'call':
        return this.rawCall(operand);
    }
  }

  private rawPath(steps: readonly PathStep[]): Expr.RawPathStep[] {
    return steps.map((step): Expr.RawPathStep => {
      if (step.kind === 'index') return { kind: 'index', index: step.index };
      let ref = this.nameRefs.get(step.name);
      if (ref === undefined) {
        ref = `#n${this.nameRefs.size}`;
        this.nameRefs.set(step.name, ref);
        this.names[ref] = step.name;
      }
      return { kind: 'placeholder', ref };
    });
  }

  private valueRef(value: AttributeValue): string {
    const ref = `:v${this.valueCount}`;
    this.valueCount += 1;
    this.values[ref] = value;
    return ref;
  }
}

/** The conditions joined by AND at the top of a WHERE clause. */
export function conjuncts(condition: Condition | undefined): Condition[] {
  if (condition === undefined) return [];
  if (condition.kind === 'and') return [...conjuncts(condition.left), ...conjuncts(condition.right)];
  return [condition];
}

/** `name = value` (either way round) at the top of a WHERE clause: the value, when the conjunct is one. */
export function equalityOn(condition: Condition, name: string): Literal | undefined {
  if (condition.kind !== 'compare' || condition.op !== '=') return undefined;
  const { left, right } = condition;
  if (isName(left, name) && right.kind === 'literal') return right.literal;
  if (isName(right, name) && left.kind === 'literal') return left.literal;
  return undefined;
}

export function isName(operand: Operand, name: string): boolean {
  return operand.kind === 'path' && operand.steps.length === 1 && operand.steps[0]?.kind === 'name' && operand.steps[0].name === name;
}

/** Joins conditions with AND (undefined for none). */
export function allOf(conditions: readonly Condition[]): Condition | undefined {
  return conditions.reduce<Condition | undefined>((acc, c) => (acc === undefined ? c : { kind: 'and', left: acc, right: c }), undefined);
}
