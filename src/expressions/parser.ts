// Recursive-descent parser for condition (and filter) expressions and projection expressions.
// Backtracking is memoised per token position, so nested parentheses parse in linear time; a
// failure is reported at the furthest token reached, as a PEG parser (and DynamoDB) reports it.
import type { Comparator, RawCondition, RawOperand, RawPathStep, RawSetValue, RawUpdateAction } from './ast.js';
import { ExpressionError, syntaxError, tokenize, type Token } from './lexer.js';


const keywords = new Set(['AND', 'OR', 'NOT', 'BETWEEN', 'IN']);
const sections = new Set(['SET', 'REMOVE', 'ADD', 'DELETE']);
const comparators = new Set<string>(['=', '<>', '<', '<=', '>', '>=']);

export interface ParsedCondition {
  readonly condition: RawCondition;
  /** "((x))" somewhere: DynamoDB refuses redundant parentheses after other syntax checks. */
  readonly redundantParentheses: boolean;
}

export interface ParsedProjection {
  readonly paths: readonly (readonly RawPathStep[])[];
}

type Call = Extract<RawOperand, { kind: 'call' }>;

class Parser {
  private pos = 0;
  private furthest = 0;
  private readonly operandMemo = new Map<number, { value: RawOperand; end: number } | null>();
  private readonly conditionMemo = new Map<number, { value: RawCondition; end: number } | null>();

  constructor(
    private readonly source: string,
    private readonly tokens: readonly Token[],
  ) {}

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.pos + offset, this.tokens.length - 1)] as Token;
  }

  private fail(): undefined {
    if (this.pos > this.furthest) this.furthest = this.pos;
    return undefined;
  }

  isPunct(text: string): boolean {
    const t = this.peek();
    return t.kind === 'punct' && t.text === text;
  }

  private isKeyword(word: string): boolean {
    const t = this.peek();
    return t.kind === 'name' && t.text.toUpperCase() === word;
  }

  accept(text: string): boolean {
    if (this.isPunct(text)) {
      this.pos++;
      return true;
    }
    this.fail();
    return false;
  }

  error(): ExpressionError {
    return syntaxError(this.source, this.tokens, Math.max(this.furthest, this.pos));
  }

  atEnd(): boolean {
    if (this.peek().kind === 'eof') return true;
    this.fail();
    return false;
  }

  // ---- conditions

  parseOr(): RawCondition | undefined {
    let left = this.parseAnd();
    if (left === undefined) return undefined;
    while (this.isKeyword('OR')) {
      const save = this.pos;
      this.pos++;
      const right = this.parseAnd();
      if (right === undefined) {
        this.pos = save;
        return left;
      }
      left = { kind: 'or', left, right };
    }
    return left;
  }

  private parseAnd(): RawCondition | undefined {
    let left = this.parseNot();
    if (left === undefined) return undefined;
    while (this.isKeyword('AND')) {
      const save = this.pos;
      this.pos++;
      const right = this.parseNot();
      if (right === undefined) {
        this.pos = save;
        return left;
      }
      left = { kind: 'and', left, right };
    }
    return left;
  }

  private parseNot(): RawCondition | undefined {
    if (this.isKeyword('NOT')) {
      this.pos++;
      const operand = this.parseNot();
      return operand === undefined ? undefined : { kind: 'not', operand };
    }
    return this.parsePrimary();
  }

  /** A predicate, or a parenthesised condition; memoised by start position. */
  private parsePrimary(): RawCondition | undefined {
    const start = this.pos;
    const memo = this.conditionMemo.get(start);
    if (memo !== undefined) {
      if (memo === null) return this.fail();
      this.pos = memo.end;
      return memo.value;
    }
    let result = this.parsePredicate();
    if (result === undefined) {
      this.pos = start;
      if (this.accept('(')) {
        const inner = this.parseOr();
        result = inner !== undefined && this.accept(')') ? inner : undefined;
      }
    }
    if (result === undefined) {
      this.conditionMemo.set(start, null);
      this.pos = start;
      return this.fail();
    }
    this.conditionMemo.set(start, { value: result, end: this.pos });
    return result;
  }

  private parsePredicate(): RawCondition | undefined {
    const left = this.parseOperand();
    if (left === undefined) return undefined;
    const t = this.peek();
    if (t.kind === 'punct' && comparators.has(t.text)) {
      this.pos++;
      const right = this.parseOperand();
      if (right === undefined) return undefined;
      return { kind: 'compare', op: t.text as Comparator, left, right };
    }
    if (this.isKeyword('BETWEEN')) {
      this.pos++;
      const low = this.parseOperand();
      if (low === undefined) return undefined;
      if (!this.isKeyword('AND')) return this.fail();
      this.pos++;
      const high = this.parseOperand();
      if (high === undefined) return undefined;
      return { kind: 'between', subject: left, low, high };
    }
    if (this.isKeyword('IN')) {
      this.pos++;
      if (!this.accept('(')) return undefined;
      const list = this.parseArguments();
      if (list === undefined || !this.accept(')')) return undefined;
      return { kind: 'in', subject: left, list };
    }
    if (left.kind === 'call') return { kind: 'call', call: left };
    return this.fail();
  }

  private parseArguments(): RawOperand[] | undefined {
    const first = this.parseOperand();
    if (first === undefined) return undefined;
    const args = [first];
    while (this.isPunct(',')) {
      this.pos++;
      const next = this.parseOperand();
      if (next === undefined) return undefined;
      args.push(next);
    }
    return args;
  }

  // ---- update expressions

  /** SET/REMOVE/ADD/DELETE sections, each at most once; undefined on a syntax error. */
  parseUpdate(): { actions: RawUpdateAction[]; repeated?: string } | undefined {
    const actions: RawUpdateAction[] = [];
    const seen = new Set<string>();
    let repeated: string | undefined;
    do {
      const t = this.peek();
      const section = t.kind === 'name' ? t.text.toUpperCase() : '';
      if (!sections.has(section)) return this.fail();
      if (seen.has(section)) repeated ??= section;
      seen.add(section);
      this.pos++;
      do {
        const action = this.parseAction(section);
        if (action === undefined) return undefined;
        actions.push(action);
      } while (this.isPunct(',') && this.accept(','));
    } while (this.peek().kind !== 'eof');
    return repeated === undefined ? { actions } : { actions, repeated };
  }

  private parseAction(section: string): RawUpdateAction | undefined {
    const path = this.parsePath();
    if (path === undefined) return undefined;
    if (section === 'REMOVE') return { kind: 'remove', path };
    if (section === 'SET') {
      if (!this.accept('=')) return undefined;
      const value = this.parseSetValue();
      return value === undefined ? undefined : { kind: 'set', path, value };
    }
    const t = this.peek();
    if (t.kind !== 'value') return this.fail();
    this.pos++;
    return { kind: section === 'ADD' ? 'add' : 'delete', path, value: t.text };
  }

  private parseSetValue(): RawSetValue | undefined {
    // A whole SET value may stand in parentheses, as ORMs write it: `c = (if_not_exists(c, :z) - :d)`.
    // One operator at most, so `(a + b) + c` is a syntax error; `(a) + b` is an operand in parentheses.
    if (this.isPunct('(')) {
      const start = this.pos;
      this.pos++;
      const inner = this.parseSetValue();
      if (inner !== undefined && this.accept(')')) {
        if (!this.isPunct('+') && !this.isPunct('-')) return inner;
        if (inner.kind === 'arithmetic') return this.fail();
      }
      this.pos = start;
    }
    const left = this.parseOperand();
    if (left === undefined) return undefined;
    if (this.isPunct('+') || this.isPunct('-')) {
      const op = this.peek().text as '+' | '-';
      this.pos++;
      const right = this.parseOperand();
      return right === undefined ? undefined : { kind: 'arithmetic', op, left, right };
    }
    return left;
  }

  // ---- operands

  parseOperand(): RawOperand | undefined {
    const start = this.pos;
    const memo = this.operandMemo.get(start);
    if (memo !== undefined) {
      if (memo === null) return this.fail();
      this.pos = memo.end;
      return memo.value;
    }
    const parsed = this.parseOperandAt();
    if (parsed === undefined) {
      this.operandMemo.set(start, null);
      this.pos = start;
      return this.fail();
    }
    this.operandMemo.set(start, { value: parsed, end: this.pos });
    return parsed;
  }

  private parseOperandAt(): RawOperand | undefined {
    const t = this.peek();
    if (t.kind === 'punct' && t.text === '(') {
      this.pos++;
      const inner = this.parseOperand();
      return inner !== undefined && this.accept(')') ? inner : undefined;
    }
    if (t.kind === 'value') {
      this.pos++;
      return { kind: 'value', ref: t.text };
    }
    if (t.kind === 'name' && !keywords.has(t.text.toUpperCase()) && this.peek(1).kind === 'punct' && this.peek(1).text === '(') {
      this.pos += 2;
      const args = this.parseArguments();
      if (args === undefined || !this.accept(')')) return undefined;
      const call: Call = { kind: 'call', name: t.text, args };
      return call;
    }
    const steps = this.parsePath();
    return steps === undefined ? undefined : { kind: 'path', steps };
  }

  parsePath(): RawPathStep[] | undefined {
    const first = this.parsePathName();
    if (first === undefined) return undefined;
    const steps: RawPathStep[] = [first];
    for (;;) {
      if (this.isPunct('.')) {
        this.pos++;
        const next = this.parsePathName();
        if (next === undefined) return undefined;
        steps.push(next);
      } else if (this.isPunct('[')) {
        this.pos++;
        const t = this.peek();
        if (t.kind !== 'number') return this.fail();
        this.pos++;
        if (!this.accept(']')) return undefined;
        steps.push({ kind: 'index', index: Number(t.text) });
      } else {
        return steps;
      }
    }
  }

  private parsePathName(): RawPathStep | undefined {
    const t = this.peek();
    if (t.kind === 'name' && !keywords.has(t.text.toUpperCase())) {
      this.pos++;
      return { kind: 'name', name: t.text };
    }
    if (t.kind === 'placeholder') {
      this.pos++;
      return { kind: 'placeholder', ref: t.text };
    }
    return this.fail();
  }
}

/** DynamoDB: "The maximum number of operators or functions allowed in an expression is 300". */
export const operatorsMax = 300;
/** DynamoDB: "The maximum number of operands for the IN comparator is 100". */
export const inOperandsMax = 100;

function operandOperators(o: RawOperand): number {
  return o.kind === 'call' ? 1 + o.args.reduce((n, a) => n + operandOperators(a), 0) : 0;
}

/** Operators and functions in a condition; also refuses IN lists over DynamoDB's limit. */
function conditionOperators(c: RawCondition): number {
  switch (c.kind) {
    case 'and':
    case 'or':
      return 1 + conditionOperators(c.left) + conditionOperators(c.right);
    case 'not':
      return 1 + conditionOperators(c.operand);
    case 'compare':
      return 1 + operandOperators(c.left) + operandOperators(c.right);
    case 'between':
      return 1 + operandOperators(c.subject) + operandOperators(c.low) + operandOperators(c.high);
    case 'in':
      if (c.list.length > inOperandsMax) throw new ExpressionError(`The IN operator is provided with too many operands; number of operands: ${c.list.length}`);
      return 1 + operandOperators(c.subject) + c.list.reduce((n, o) => n + operandOperators(o), 0);
    case 'call':
      return operandOperators(c.call);
  }
}

function checkOperatorCount(count: number): void {
  if (count > operatorsMax) throw new ExpressionError(`The expression contains too many operators; operator count: ${count}`);
}

export function parseConditionText(source: string): ParsedCondition {
  const tokens = tokenize(source);
  const parser = new Parser(source, tokens);
  const condition = parser.parseOr();
  if (condition === undefined || !parser.atEnd()) throw parser.error();
  checkOperatorCount(conditionOperators(condition));
  return { condition, redundantParentheses: hasRedundantParentheses(tokens) };
}

export interface ParsedUpdate {
  readonly actions: readonly RawUpdateAction[];
  /** A section written twice ("SET … SET …"), which DynamoDB refuses. */
  readonly repeatedSection?: string;
  readonly redundantParentheses: boolean;
}

export function parseUpdateText(source: string): ParsedUpdate {
  const tokens = tokenize(source);
  const parser = new Parser(source, tokens);
  const parsed = parser.parseUpdate();
  if (parsed === undefined || !parser.atEnd()) throw parser.error();
  checkOperatorCount(parsed.actions.reduce((n, a) => {
    if (a.kind !== 'set') return n + 1;
    const v = a.value;
    return n + 1 + (v.kind === 'arithmetic' ? 1 + operandOperators(v.left) + operandOperators(v.right) : operandOperators(v));
  }, 0));
  return { actions: parsed.actions, ...(parsed.repeated === undefined ? {} : { repeatedSection: parsed.repeated }), redundantParentheses: hasRedundantParentheses(tokens) };
}

export function parseProjectionText(source: string): ParsedProjection {
  const tokens = tokenize(source);
  const parser = new Parser(source, tokens);
  const paths: RawPathStep[][] = [];
  do {
    const path = parser.parsePath();
    if (path === undefined) throw parser.error();
    paths.push(path);
  } while (parser.isPunct(',') && parser.accept(','));
  if (!parser.atEnd()) throw parser.error();
  return { paths };
}

/**
 * "((x))": a pair of parentheses whose whole content is another pair. Parentheses that open a
 * function's arguments or an IN list do not count (size((a)) is fine).
 */
function hasRedundantParentheses(tokens: readonly Token[]): boolean {
  const open: number[] = [];
  const matching = new Map<number, number>();
  tokens.forEach((t, i) => {
    if (t.kind !== 'punct') return;
    if (t.text === '(') open.push(i);
    else if (t.text === ')') {
      const o = open.pop();
      if (o !== undefined) matching.set(o, i);
    }
  });
  for (const [o, c] of matching) {
    const before = tokens[o - 1];
    const opensArguments = before !== undefined && before.kind === 'name';
    if (!opensArguments && matching.get(o + 1) === c - 1) return true;
  }
  return false;
}
