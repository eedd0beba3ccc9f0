// Substitutes #names and :values and applies DynamoDB's semantic checks. When an expression breaks
// several rules, DynamoDB names one, by category: redundant parentheses, unknown function, misused
// function, reserved word, path too deep, then the first predicate's problem (undefined placeholder, operand
// count, identical operands, operand type) — this module reproduces that order.
import type { AttributeValue } from '../model/attribute-value.js';
import { typeOf } from '../model/attribute-value.js';
import { compareValues } from './compare.js';
import type { Condition, FunctionName, Operand, Path, PathStep, RawCondition, RawOperand, RawPathStep } from './ast.js';
import { isReservedWord } from './reserved-words.js';

export interface Substitutions {
  readonly names: Readonly<Record<string, string>>;
  readonly values: Readonly<Record<string, AttributeValue>>;
  /** Placeholders seen, so the caller can report unused ones. */
  readonly usedNames: Set<string>;
  readonly usedValues: Set<string>;
}

const functionArity: Readonly<Record<FunctionName, number>> = {
  attribute_exists: 1,
  attribute_not_exists: 1,
  attribute_type: 2,
  begins_with: 2,
  contains: 2,
  size: 1,
};
const attributeTypeNames = ['S', 'N', 'B', 'NULL', 'SS', 'BOOL', 'L', 'BS', 'NS', 'M'];

/** The functions of conditions, which an update expression may not call. */
export const isConditionFunction = (name: string): boolean => Object.hasOwn(functionArity, name);
/** The functions of update expressions, which a condition may not call. */
export const isUpdateFunction = (name: string): boolean => name === 'if_not_exists' || name === 'list_append';

export type Category = 'parens' | 'unknownFunction' | 'misusedFunction' | 'reserved' | 'depth' | 'placeholder' | 'overlap' | 'conflict' | 'operand' | 'distinct' | 'function';
const predicateOrder: readonly Category[] = ['placeholder', 'operand', 'distinct', 'function'];
const finalOrder: readonly Category[] = ['parens', 'unknownFunction', 'misusedFunction', 'reserved', 'depth'];
/** DynamoDB: a document path has at most 32 levels, counting the attribute and every name and index below it. */
export const pathLevelsMax = 32;

export class Problems {
  private readonly first = new Map<Category, string>();
  predicate: string | undefined;
  note(category: Category, message: string): void {
    if (!this.first.has(category)) this.first.set(category, message);
  }
  has(category: Category): boolean {
    return this.first.has(category);
  }
  /** After each predicate: its problem, by category, becomes the expression's if none was yet. */
  closePredicate(): void {
    if (this.predicate !== undefined) return;
    for (const c of predicateOrder) {
      const message = this.first.get(c);
      if (message !== undefined) {
        this.predicate = message;
        return;
      }
    }
  }
  messageFor(order: readonly Category[]): string | undefined {
    for (const c of order) {
      const message = this.first.get(c);
      if (message !== undefined) return message;
    }
    return undefined;
  }
  message(): string | undefined {
    for (const c of finalOrder) {
      const message = this.first.get(c);
      if (message !== undefined) return message;
    }
    return this.predicate;
  }
}

export function pathText(path: Path): string {
  return `[${path.map((s) => (typeof s === 'number' ? `[${s}]` : s)).join(', ')}]`;
}

export class Resolver {
  readonly problems = new Problems();
  constructor(private readonly subs: Substitutions) {}

  path(steps: readonly RawPathStep[]): Path {
    if (steps.length > pathLevelsMax) this.problems.note('depth', `The document path has too many nesting levels; nesting levels: ${steps.length}`);
    return steps.map((step): PathStep => {
      switch (step.kind) {
        case 'index':
          return step.index;
        case 'name':
          if (isReservedWord(step.name)) this.problems.note('reserved', `Attribute name is a reserved keyword; reserved keyword: ${step.name}`);
          return step.name;
        case 'placeholder': {
          const name = this.subs.names[step.ref];
          if (name === undefined) {
            this.problems.note('placeholder', `An expression attribute name used in the document path is not defined; attribute name: ${step.ref}`);
            return step.ref;
          }
          this.subs.usedNames.add(step.ref);
          return name;
        }
      }
    });
  }

  operand(raw: RawOperand): Operand {
    switch (raw.kind) {
      case 'path':
        return { kind: 'path', path: this.path(raw.steps) };
      case 'value':
        return { kind: 'value', value: this.value(raw.ref) };
      case 'call':
        return this.call(raw, false).operand;
    }
  }

  /** A :placeholder's value ({NULL:true} stands in for an undefined one, which is reported). */
  value(ref: string): AttributeValue {
    const value = this.subs.values[ref];
    if (value === undefined) {
      this.problems.note('placeholder', `An expression attribute value used in expression is not defined; attribute value: ${ref}`);
      return { NULL: true };
    }
    this.subs.usedValues.add(ref);
    return value;
  }

  /** Checks a function call; as an operand only size() yields a value. */
  call(raw: Extract<RawOperand, { kind: 'call' }>, asCondition: boolean): { operand: Operand; condition?: Condition } {
    this.checkMisused(raw.args);
    const args = raw.args.map((a) => this.operand(a));
    const name = raw.name as FunctionName;
    const arity = functionArity[name];
    const fallback: Operand = { kind: 'value', value: { NULL: true } };
    if (arity === undefined) {
      this.problems.note('unknownFunction', isUpdateFunction(raw.name)
        ? `The function is not allowed in a condition expression; function: ${raw.name}`
        : `Invalid function name; function: ${raw.name}`);
      return { operand: fallback };
    }
    if (args.length !== arity) {
      this.problems.note('operand', `Incorrect number of operands for operator or function; operator or function: ${name}, number of operands: ${args.length}`);
      return { operand: fallback };
    }
    this.checkDistinct(name, args);
    const [first, second] = args as [Operand, Operand | undefined];
    const typeError = (type: string): void => this.problems.note('function', `Incorrect operand type for operator or function; operator or function: ${name}, operand type: ${type}`);
    switch (name) {
      case 'attribute_exists':
      case 'attribute_not_exists':
        if (first.kind !== 'path') {
          this.problems.note('function', `Operator or function requires a document path; operator or function: ${name}`);
          return { operand: fallback };
        }
        return { operand: fallback, condition: { kind: name === 'attribute_exists' ? 'exists' : 'not_exists', path: first.path } };
      case 'attribute_type': {
        const type = second === undefined ? undefined : literalType(second);
        if (type !== 'S') {
          typeError(type ?? '{NS,SS,L,BS,N,M,B,BOOL,NULL,S}');
        } else if (!attributeTypeNames.includes((second as { value: { S: string } }).value.S)) {
          this.problems.note('function', `Invalid attribute type name found; type: ${(second as { value: { S: string } }).value.S}, valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}`);
        }
        return { operand: fallback, condition: { kind: 'attribute_type', path: first.kind === 'path' ? first.path : [], type: second ?? fallback } };
      }
      case 'begins_with':
        for (const arg of args) {
          const type = operandType(arg);
          if (type !== undefined && type !== 'S' && type !== 'B') {
            typeError(type);
            break;
          }
        }
        return { operand: fallback, condition: { kind: 'begins_with', subject: first, operand: second ?? fallback } };
      case 'contains':
        return { operand: fallback, condition: { kind: 'contains', subject: first, operand: second ?? fallback } };
      case 'size': {
        const type = operandType(first);
        if (type === 'N' || type === 'BOOL' || type === 'NULL') typeError(type);
        if (asCondition) this.problems.note('misusedFunction', 'The function is not allowed to be used this way in an expression; function: size');
        return { operand: { kind: 'size', operand: first } };
      }
    }
  }

  /** Only size() may stand where a value is expected. */
  checkMisused(operands: readonly RawOperand[]): void {
    for (const o of operands) {
      if (o.kind === 'call' && o.name !== 'size') {
        this.problems.note('misusedFunction', `The function is not allowed to be used this way in an expression; function: ${o.name}`);
        return;
      }
    }
  }

  checkDistinct(operator: string, args: readonly Operand[]): void {
    const [a, b] = args;
    if (args.length !== 2 || a?.kind !== 'path' || b?.kind !== 'path') return;
    if (a.path.length !== b.path.length || a.path.some((s, i) => s !== b.path[i])) return;
    this.problems.note('distinct', `The first operand must be distinct from the remaining operands for this operator or function; operator: ${operator}, first operand: ${pathText(a.path)}`);
  }

  condition(raw: RawCondition): Condition {
    switch (raw.kind) {
      case 'and':
      case 'or':
        return { kind: raw.kind, left: this.condition(raw.left), right: this.condition(raw.right) };
      case 'not':
        return { kind: 'not', operand: this.condition(raw.operand) };
      case 'compare': {
        this.checkMisused([raw.left, raw.right]);
        const left = this.operand(raw.left);
        const right = this.operand(raw.right);
        this.checkDistinct(raw.op, [left, right]);
        this.problems.closePredicate();
        return { kind: 'compare', op: raw.op, left, right };
      }
      case 'between': {
        this.checkMisused([raw.subject, raw.low, raw.high]);
        const subject = this.operand(raw.subject);
        const low = this.operand(raw.low);
        const high = this.operand(raw.high);
        this.checkBounds(low, high);
        this.problems.closePredicate();
        return { kind: 'between', subject, low, high };
      }
      case 'in': {
        this.checkMisused([raw.subject, ...raw.list]);
        const subject = this.operand(raw.subject);
        const list = raw.list.map((o) => this.operand(o));
        this.problems.closePredicate();
        return { kind: 'in', subject, list };
      }
      case 'call': {
        const { condition } = this.call(raw.call, true);
        this.problems.closePredicate();
        return condition ?? { kind: 'exists', path: [] };
      }
    }
  }

  private checkBounds(low: Operand, high: Operand): void {
    if (low.kind !== 'value' || high.kind !== 'value' || this.problems.has('function')) return;
    const lowType = typeOf(low.value);
    const highType = typeOf(high.value);
    const show = (v: AttributeValue, t: string): string => `AttributeValue: {${t}:${String((v as Record<string, unknown>)[t])}}`;
    const bounds = `lower bound operand: ${show(low.value, lowType)}, upper bound operand: ${show(high.value, highType)}`;
    if (lowType !== highType) {
      this.problems.note('function', `The BETWEEN operator requires same data type for lower and upper bounds; ${bounds}`);
    } else if ((compareValues(low.value, high.value) ?? 0) > 0) {
      this.problems.note('function', `The BETWEEN operator requires upper bound to be greater than or equal to lower bound; ${bounds}`);
    }
  }
}

/** The type of a literal operand (size() is a number); undefined for document paths. */
function operandType(operand: Operand): string | undefined {
  if (operand.kind === 'size') return 'N';
  return literalType(operand);
}
function literalType(operand: Operand): string | undefined {
  return operand.kind === 'value' ? typeOf(operand.value) : undefined;
}

export function resolveCondition(raw: RawCondition, redundantParentheses: boolean, subs: Substitutions): Condition | string {
  const resolver = new Resolver(subs);
  if (redundantParentheses) resolver.problems.note('parens', 'The expression has redundant parentheses;');
  const condition = resolver.condition(raw);
  return resolver.problems.message() ?? condition;
}

/** Projection paths, checked for reserved words, undefined names, overlaps and conflicts. */
export function resolveProjection(raw: readonly (readonly RawPathStep[])[], subs: Substitutions): Path[] | string {
  const resolver = new Resolver(subs);
  const paths = raw.map((p) => resolver.path(p));
  const problems = resolver.problems;
  const reserved = problems.messageFor(['reserved', 'depth', 'placeholder']);
  if (reserved !== undefined) return reserved;
  return checkOverlaps(paths)?.message ?? paths;
}

/** The first overlap of two paths (one a prefix of the other), else the first conflict (a name where the other has an index). */
export function checkOverlaps(paths: readonly Path[]): { kind: 'overlap' | 'conflict'; message: string } | undefined {
  let conflict: { kind: 'conflict'; message: string } | undefined;
  for (let j = 1; j < paths.length; j++) {
    for (let i = 0; i < j; i++) {
      const a = paths[i] as Path;
      const b = paths[j] as Path;
      let k = 0;
      let diverged = false;
      for (; k < a.length && k < b.length; k++) {
        if (typeof a[k] !== typeof b[k]) {
          conflict ??= { kind: 'conflict', message: `Two document paths conflict with each other; must remove or rewrite one of these paths; path one: ${pathText(a)}, path two: ${pathText(b)}` };
          diverged = true;
          break;
        }
        if (a[k] !== b[k]) {
          diverged = true;
          break;
        }
      }
      if (!diverged) return { kind: 'overlap', message: `Two document paths overlap with each other; must remove or rewrite one of these paths; path one: ${pathText(a)}, path two: ${pathText(b)}` };
    }
  }
  return conflict;
}
