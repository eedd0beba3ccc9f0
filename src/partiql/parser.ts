// PartiQL for DynamoDB: SELECT, INSERT, UPDATE (also written FROM … WHERE … SET), DELETE and, in a
// transaction, EXISTS(SELECT …). Recursive descent over the tokens; refusals use DynamoDB's texts.
import type { AttributeValue } from '../model/attribute-value.js';
import { formatNumber, parseNumber } from '../model/number.js';
import { messages } from '../errors/messages.js';
import type { Comparator, Condition, IsType, Literal, Operand, ParsedStatement, PathStep, Position, Projected, Returning, SetValue, Statement, Target, UpdateClause } from './ast.js';
import { notWellFormed, StatementError, tokenize, type Token } from './lexer.js';

/** Words that end or structure a clause: never read as an attribute or table name unless quoted. */
const keywords = new Set([
  'select', 'from', 'where', 'and', 'or', 'not', 'in', 'is', 'between', 'null', 'missing', 'true', 'false', 'insert', 'into',
  'value', 'values', 'update', 'set', 'remove', 'delete', 'returning', 'order', 'by', 'asc', 'desc', 'exists', 'as', 'at',
  'limit', 'offset', 'group', 'having', 'join', 'inner', 'outer', 'left', 'right', 'cross', 'on', 'union', 'like', 'case',
  'when', 'then', 'else', 'end', 'distinct', 'all', 'pivot', 'unpivot', 'cast', 'with',
]);

/** Clauses DynamoDB names when it refuses them. */
const unsupportedClauses = new Set(['limit', 'offset', 'group', 'having']);

const conditionFunctions = new Set(['attribute_exists', 'attribute_not_exists', 'attribute_type', 'begins_with', 'contains', 'size']);
const booleanFunctions = new Set(['attribute_exists', 'attribute_not_exists', 'attribute_type', 'begins_with', 'contains']);
const updateFunctions = new Set(['list_append', 'set_add', 'set_delete']);

const isTypes: Readonly<Record<string, IsType>> = {
  missing: 'MISSING', null: 'NULL', bool: 'BOOL', boolean: 'BOOL', string: 'S', numeric: 'N', int: 'N', integer: 'N', decimal: 'N',
  float: 'N', double: 'N', blob: 'B', list: 'L', struct: 'M', tuple: 'M',
};

const comparators: Readonly<Record<string, Comparator>> = { '=': '=', '<>': '<>', '!=': '<>', '<': '<', '<=': '<=', '>': '>', '>=': '>=' };

/** Deeper nesting than this is refused rather than risking the stack. */
const nestingMax = 100;

export const positionText = (at: Position): string => `${at.line}:${at.column}:${at.length}`;

export function parseStatement(source: string): ParsedStatement {
  return new Parser(tokenize(source)).statement();
}

class Parser {
  private pos = 0;
  private parameters = 0;
  private depth = 0;

  constructor(private readonly tokens: readonly Token[]) {}

  statement(): ParsedStatement {
    const first = this.peek();
    let statement: Statement;
    switch (first.kind === 'word' ? first.text.toLowerCase() : '') {
      case 'select':
        statement = this.select();
        break;
      case 'insert':
        statement = this.insert();
        break;
      case 'update':
        statement = this.update();
        break;
      case 'from':
        statement = this.fromFirstUpdate();
        break;
      case 'delete':
        statement = this.delete();
        break;
      case 'exists':
        statement = this.exists();
        break;
      default:
        throw notWellFormed('Unexpected token');
    }
    if (this.isPunct(';')) this.pos += 1;
    this.expectEnd();
    return { statement, parameters: this.parameters };
  }

  // ---- statements

  private select(): Extract<Statement, { kind: 'select' }> {
    this.word('select');
    const projection = this.projection();
    this.word('from');
    const target = this.target(true);
    const where = this.acceptWord('where') ? this.condition() : undefined;
    let orderBy: string | undefined;
    let descending = false;
    if (this.acceptWord('order')) {
      this.word('by');
      const path = this.path();
      if (path.steps.length !== 1 || path.steps[0]?.kind !== 'name') throw new StatementError(`Argument to ORDER BY must be of type VariableReference. Type: PATH`);
      orderBy = path.steps[0].name;
      if (this.acceptWord('desc')) descending = true;
      else this.acceptWord('asc');
    }
    return { kind: 'select', target, projection, where, descending, orderBy };
  }

  private projection(): Projected[] | undefined {
    if (this.isPunct('*')) {
      this.pos += 1;
      if (this.isPunct(',')) throw new StatementError(messages.partiqlStarAndOthers);
      return undefined;
    }
    const out: Projected[] = [];
    do {
      if (this.isPunct('*')) throw new StatementError(messages.partiqlStarAndOthers);
      const token = this.peek();
      if (token.kind === 'word' && this.peekAt(1).kind === 'punct' && this.peekAt(1).text === '(') {
        throw new StatementError(`${messages.partiqlUnexpectedPathComponent} at ${positionText(token)}`);
      }
      const path = this.path();
      const output = outputName(path.steps);
      if (out.some((p) => p.output === output)) throw new StatementError(messages.partiqlDuplicateIdentifiers(output));
      out.push({ path, output });
    } while (this.acceptPunct(','));
    return out;
  }

  private insert(): Statement {
    this.word('insert');
    this.word('into');
    const target = this.target(false);
    if (!this.acceptWord('value')) throw notWellFormed('Unexpected token after expression');
    if (!this.isPunct('{')) throw new StatementError(messages.partiqlInsertItemFormat);
    const item = this.literal(['root'], true);
    if (this.isWord('returning')) throw new StatementError(messages.partiqlReturningOnInsert);
    return { kind: 'insert', target, item };
  }

  private update(): Statement {
    this.word('update');
    const target = this.target(true);
    const clauses = this.updateClauses();
    const where = this.acceptWord('where') ? this.condition() : undefined;
    const returning = this.returning();
    if (where === undefined) throw new StatementError(messages.partiqlIncompleteKey);
    return { kind: 'update', target, clauses, where, returning };
  }

  private fromFirstUpdate(): Statement {
    this.word('from');
    const target = this.target(true);
    if (!this.acceptWord('where')) throw new StatementError(messages.partiqlIncompleteKey);
    const where = this.condition();
    const clauses = this.updateClauses();
    const returning = this.returning();
    return { kind: 'update', target, clauses, where, returning };
  }

  private delete(): Statement {
    this.word('delete');
    this.word('from');
    const target = this.target(true);
    const where = this.acceptWord('where') ? this.condition() : undefined;
    const returning = this.returning();
    if (returning !== undefined && returning !== 'ALL_OLD') throw new StatementError(messages.partiqlDeleteReturning(returning.replace('UPDATED', 'MODIFIED').replace('_', ' ')));
    if (where === undefined) throw new StatementError(messages.partiqlIncompleteKey);
    return { kind: 'delete', target, where, returning };
  }

  private exists(): Statement {
    this.word('exists');
    this.punct('(');
    const first = this.peek();
    if (!(first.kind === 'word' && first.text.toLowerCase() === 'select')) throw notWellFormed('Unexpected token');
    const select = this.select();
    this.punct(')');
    return { kind: 'exists', select };
  }

  private updateClauses(): UpdateClause[] {
    const clauses: UpdateClause[] = [];
    for (;;) {
      if (this.acceptWord('set')) {
        do clauses.push(this.assignment());
        while (this.acceptPunct(','));
      } else if (this.acceptWord('remove')) {
        do clauses.push({ kind: 'remove', path: this.path() });
        while (this.acceptPunct(','));
      } else break;
    }
    if (clauses.length === 0) {
      const next = this.peek();
      if (next.kind === 'word' && ['add', 'delete'].includes(next.text.toLowerCase())) throw new StatementError(messages.partiqlOnlySetAndRemove);
      throw notWellFormed('Unexpected token');
    }
    return clauses;
  }

  private assignment(): UpdateClause {
    const path = this.path();
    this.punct('=');
    const left = this.updateOperand(path);
    let value: SetValue = left;
    const op = this.peek();
    if (op.kind === 'punct' && (op.text === '+' || op.text === '-')) {
      this.pos += 1;
      value = { kind: 'arithmetic', op: op.text, left, right: this.updateOperand(path) };
    }
    return { kind: 'set', path, value };
  }

  private updateOperand(target: Extract<Operand, { kind: 'path' }>): Operand {
    const token = this.peek();
    if (token.kind === 'word' && this.peekAt(1).kind === 'punct' && this.peekAt(1).text === '(') {
      const name = token.text.toLowerCase();
      if (!updateFunctions.has(name)) throw new StatementError(messages.partiqlUnrecognizedFunction(name, positionText(token)));
      const call = this.call();
      if (name === 'set_add' || name === 'set_delete') checkSetFunction(call, target);
      return call;
    }
    return this.operand();
  }

  private returning(): Returning | undefined {
    if (!this.acceptWord('returning')) return undefined;
    const which = this.wordText();
    const age = this.wordText();
    if (!this.isPunct('*')) throw new StatementError(messages.partiqlReturningSyntax);
    this.pos += 1;
    if ((which !== 'all' && which !== 'modified') || (age !== 'new' && age !== 'old')) throw new StatementError(messages.partiqlReturningSyntax);
    return `${which === 'all' ? 'ALL' : 'UPDATED'}_${age === 'new' ? 'NEW' : 'OLD'}`;
  }

  /** FROM's table, and for SELECT an index ("T"."I"); a name after it is an alias, which DynamoDB refuses. */
  private target(aliasCheck: boolean): Target {
    const table = this.name();
    let index: string | undefined;
    if (this.acceptPunct('.')) index = this.name();
    if (this.isPunct('.')) throw new StatementError(messages.partiqlFromPathTooLong);
    if (aliasCheck) {
      const next = this.peek();
      if (next.kind === 'quoted' || (next.kind === 'word' && (!keywords.has(next.text.toLowerCase()) || next.text.toLowerCase() === 'as'))) {
        throw new StatementError(messages.partiqlAliasing);
      }
    }
    return { table, index };
  }

  // ---- conditions

  private condition(): Condition {
    this.enter();
    let left = this.conjunction();
    while (this.acceptWord('or')) left = { kind: 'or', left, right: this.conjunction() };
    this.depth -= 1;
    return left;
  }

  private conjunction(): Condition {
    let left = this.negation();
    while (this.acceptWord('and')) left = { kind: 'and', left, right: this.negation() };
    return left;
  }

  private negation(): Condition {
    if (this.acceptWord('not')) {
      this.enter();
      const operand = this.negation();
      this.depth -= 1;
      return { kind: 'not', operand };
    }
    return this.predicate();
  }

  private predicate(): Condition {
    if (this.isPunct('(')) {
      this.pos += 1;
      const inner = this.condition();
      this.punct(')');
      return inner;
    }
    const subject = this.operand();
    const next = this.peek();
    if (next.kind === 'punct' && comparators[next.text] !== undefined) {
      this.pos += 1;
      const right = this.operand();
      return { kind: 'compare', op: comparators[next.text] as Comparator, left: subject, right, written: next.text };
    }
    if (next.kind === 'word') {
      const word = next.text.toLowerCase();
      const negated = word === 'not' && ['between', 'in'].includes(this.peekAt(1).text.toLowerCase());
      if (negated) this.pos += 1;
      const op = this.peek().text.toLowerCase();
      if (op === 'between') {
        this.pos += 1;
        const low = this.operand();
        this.word('and');
        const high = this.operand();
        const between: Condition = { kind: 'between', subject, low, high };
        return negated ? { kind: 'not', operand: between } : between;
      }
      if (op === 'in') {
        this.pos += 1;
        const list = this.inList();
        if (subject.kind !== 'path' && subject.kind !== 'literal') throw new StatementError(messages.partiqlInOperator);
        const inCondition: Condition = { kind: 'in', subject, list };
        return negated ? { kind: 'not', operand: inCondition } : inCondition;
      }
      if (op === 'is') {
        this.pos += 1;
        const not = this.acceptWord('not');
        const typeToken = this.peek();
        const type = typeToken.kind === 'word' ? isTypes[typeToken.text.toLowerCase()] : undefined;
        if (type === undefined) throw new StatementError(messages.partiqlIsType(typeToken.text.toUpperCase()));
        this.pos += 1;
        if (subject.kind === 'call') throw new StatementError(messages.partiqlIsOperand);
        const is: Condition = { kind: 'is', subject, type };
        return not ? { kind: 'not', operand: is } : is;
      }
    }
    if (subject.kind === 'call' && booleanFunctions.has(subject.name)) return { kind: 'call', call: subject };
    throw new StatementError(messages.partiqlWhereNotBoolean);
  }

  private inList(): Operand[] {
    const open = this.peek();
    const close = open.text === '[' ? ']' : open.text === '(' ? ')' : undefined;
    if (open.kind !== 'punct' || close === undefined) throw new StatementError(messages.partiqlInOperator);
    this.pos += 1;
    const items: Operand[] = [];
    if (this.isPunct(close)) throw new StatementError(messages.partiqlInOperator);
    do items.push(this.operand());
    while (this.acceptPunct(','));
    this.punct(close);
    return items;
  }

  // ---- operands

  private operand(): Operand {
    const token = this.peek();
    if (token.kind === 'word' && this.peekAt(1).kind === 'punct' && this.peekAt(1).text === '(') {
      const name = token.text.toLowerCase();
      if (!conditionFunctions.has(name)) throw new StatementError(messages.partiqlUnrecognizedFunction(name, positionText(token)));
      return this.call();
    }
    if (token.kind === 'quoted' || (token.kind === 'word' && !keywords.has(token.text.toLowerCase()))) return this.path();
    return { kind: 'literal', literal: this.literal(['root'], false), at: token };
  }

  private call(): Extract<Operand, { kind: 'call' }> {
    const token = this.next();
    this.punct('(');
    const args: Operand[] = [];
    if (!this.isPunct(')')) {
      do args.push(this.operand());
      while (this.acceptPunct(','));
    }
    this.punct(')');
    return { kind: 'call', name: token.text.toLowerCase(), args, at: token };
  }

  path(): Extract<Operand, { kind: 'path' }> {
    const first = this.peek();
    const steps: PathStep[] = [{ kind: 'name', name: this.name() }];
    for (;;) {
      if (this.isPunct('.')) {
        this.pos += 1;
        const part = this.next();
        if (part.kind === 'quoted') steps.push({ kind: 'name', name: part.text });
        else if (part.kind === 'word' && !keywords.has(part.text.toLowerCase())) steps.push({ kind: 'name', name: part.text });
        else if (part.kind === 'punct' && part.text === '*') throw new StatementError(messages.partiqlUnpivotPath);
        else throw notWellFormed('Invalid path dot component');
      } else if (this.isPunct('[')) {
        this.pos += 1;
        const inside = this.next();
        if (inside.kind === 'number' && /^\d+$/.test(inside.text)) steps.push({ kind: 'index', index: Number(inside.text) });
        else if (inside.kind === 'string') steps.push({ kind: 'name', name: inside.text });
        else if (inside.kind === 'punct' && inside.text === '*') throw new StatementError(messages.partiqlWildcardPath);
        else throw notWellFormed('Unexpected token');
        this.punct(']');
      } else break;
    }
    return { kind: 'path', steps, at: first };
  }

  /** A value as written; `where` is DynamoDB's path to it for number messages ("root", "root.x", "root[1]"). */
  private literal(where: readonly string[], topLevelItem: boolean): Literal {
    this.enter();
    const token = this.next();
    let out: Literal;
    if (token.kind === 'param') {
      out = { kind: 'param', index: this.parameters };
      this.parameters += 1;
    } else if (token.kind === 'string') out = { kind: 'constant', value: { S: token.text } };
    else if (token.kind === 'number') out = { kind: 'constant', value: { N: numberText(token.text, where) } };
    else if (token.kind === 'punct' && token.text === '-' && this.peek().kind === 'number') out = { kind: 'constant', value: { N: numberText(`-${this.next().text}`, where) } };
    else if (token.kind === 'word' && ['true', 'false'].includes(token.text.toLowerCase())) out = { kind: 'constant', value: { BOOL: token.text.toLowerCase() === 'true' } };
    else if (token.kind === 'word' && token.text.toLowerCase() === 'null') out = { kind: 'constant', value: { NULL: true } };
    else if (token.kind === 'word' && token.text.toLowerCase() === 'missing') throw new StatementError(messages.partiqlMissingLiteral);
    else if (token.kind === 'punct' && token.text === '[') {
      const items: Literal[] = [];
      if (!this.isPunct(']')) {
        do items.push(this.literal([...where.slice(0, -1), `${where[where.length - 1] ?? 'root'}[${items.length}]`], false));
        while (this.acceptPunct(','));
      }
      this.punct(']');
      out = { kind: 'list', items };
    } else if (token.kind === 'punct' && token.text === '{') {
      const entries: [string, Literal][] = [];
      if (!this.isPunct('}')) {
        do {
          const key = this.next();
          if (key.kind !== 'string') throw new StatementError(messages.partiqlTupleKeyType(key.kind === 'number' ? 'DECIMAL' : 'SYMBOL', where.join('.')));
          this.punct(':');
          if (entries.some(([k]) => k === key.text)) throw new StatementError(messages.partiqlDuplicateTupleKey(key.text, where.join('.')));
          entries.push([key.text, this.literal(topLevelItem ? ['root'] : [...where.slice(0, -1), `${where[where.length - 1] ?? 'root'}.${key.text}`], false)]);
        } while (this.acceptPunct(','));
      }
      this.punct('}');
      out = { kind: 'map', entries };
    } else if (token.kind === 'punct' && token.text === '<<') {
      const items: Literal[] = [];
      if (this.isPunct('>>')) throw new StatementError(messages.partiqlEmptyBag);
      do items.push(this.literal(where, false));
      while (this.acceptPunct(','));
      this.punct('>>');
      out = { kind: 'bag', items };
    } else if (token.kind === 'word' && this.isPunct('(')) {
      throw new StatementError(messages.partiqlUnsupportedDataType(token.text.toLowerCase(), positionText(token)));
    } else {
      this.pos -= 1;
      throw notWellFormed('Unexpected token');
    }
    this.depth -= 1;
    return foldConstant(out);
  }

  // ---- tokens

  private enter(): void {
    this.depth += 1;
    if (this.depth > nestingMax) throw notWellFormed('Statement is nested too deeply');
  }

  private name(): string {
    const token = this.next();
    if (token.kind === 'quoted') {
      if (token.text === '') throw new StatementError(messages.partiqlEmptyPathComponent);
      return token.text;
    }
    if (token.kind === 'word' && !keywords.has(token.text.toLowerCase())) return token.text;
    throw notWellFormed('Unexpected token');
  }

  private wordText(): string {
    const token = this.next();
    return token.kind === 'word' ? token.text.toLowerCase() : '';
  }

  private peek(): Token {
    return this.tokens[this.pos] as Token;
  }

  private peekAt(offset: number): Token {
    return this.tokens[Math.min(this.pos + offset, this.tokens.length - 1)] as Token;
  }

  private next(): Token {
    const token = this.peek();
    if (token.kind !== 'eof') this.pos += 1;
    return token;
  }

  private isPunct(text: string): boolean {
    const token = this.peek();
    return token.kind === 'punct' && token.text === text;
  }

  private isWord(word: string): boolean {
    const token = this.peek();
    return token.kind === 'word' && token.text.toLowerCase() === word;
  }

  private acceptPunct(text: string): boolean {
    if (!this.isPunct(text)) return false;
    this.pos += 1;
    return true;
  }

  private acceptWord(word: string): boolean {
    if (!this.isWord(word)) return false;
    this.pos += 1;
    return true;
  }

  private punct(text: string): void {
    if (!this.acceptPunct(text)) throw notWellFormed(this.peek().kind === 'eof' ? 'Unexpected end of statement' : 'Unexpected token');
  }

  private word(word: string): void {
    if (!this.acceptWord(word)) throw notWellFormed(this.peek().kind === 'eof' ? 'Unexpected end of statement' : 'Unexpected token');
  }

  private expectEnd(): void {
    const token = this.peek();
    if (token.kind === 'eof') return;
    if (token.kind === 'word' && unsupportedClauses.has(token.text.toLowerCase())) throw new StatementError(messages.partiqlUnsupportedClause(token.text.toUpperCase()));
    throw notWellFormed('Unexpected token after expression');
  }
}

/** What a projected path comes back as: its last name, with the indexes written after it. */
function outputName(steps: readonly PathStep[]): string {
  let out = '';
  for (const step of steps) out = step.kind === 'name' ? step.name : `${out}[${step.index}]`;
  return out;
}

/** set_add(path, <<…>>) / set_delete(path, <<…>>): the path must be the one assigned, the second a set. */
function checkSetFunction(call: Extract<Operand, { kind: 'call' }>, target: Extract<Operand, { kind: 'path' }>): void {
  const fn = call.name.toUpperCase();
  if (call.args.length !== 2) throw new StatementError(messages.partiqlSetFunctionArity(fn, positionText(call.at)));
  const [first, second] = call.args as [Operand, Operand];
  if (first.kind !== 'path' || JSON.stringify(first.steps) !== JSON.stringify(target.steps)) {
    throw new StatementError(messages.partiqlSetFunctionFirst(fn, positionText(call.at)));
  }
  const literal = second.kind === 'literal' ? second.literal : undefined;
  const isSet = literal !== undefined && (literal.kind === 'bag' || literal.kind === 'param' || (literal.kind === 'constant' && ['SS', 'NS', 'BS'].some((t) => t in literal.value)));
  if (!isSet) throw new StatementError(messages.partiqlSetFunctionSecond(fn, positionText(first.at)));
}

/**
 * DynamoDB reads a literal as Java's BigDecimal does: an exponent or scale that does not fit an int
 * cannot be read at all; one that can is held to DynamoDB's number rules, named by its path.
 */
function numberText(text: string, where: readonly string[]): string {
  const match = /^(-?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (match === null) throw notWellFormed();
  const exponent = BigInt(match[4] ?? '0');
  const scale = BigInt((match[3] ?? '').length) - exponent;
  const intMax = 2147483647n;
  if (exponent > intMax || exponent < -intMax - 1n || scale > intMax || scale < -intMax - 1n) throw notWellFormed();
  const parsed = parseNumber(text);
  const under = ` under ${where.join('.')}`;
  switch (parsed) {
    case 'syntax':
      throw notWellFormed();
    case 'overflow':
      throw new StatementError(messages.numberOverflow + under);
    case 'underflow':
      throw new StatementError(messages.numberUnderflow + under);
    case 'precision':
      throw new StatementError(messages.numberPrecision + under);
    default:
      return formatNumber(parsed);
  }
}

/** A collection with no parameter inside becomes one constant value, converted once. */
function foldConstant(literal: Literal): Literal {
  if (literal.kind === 'constant' || literal.kind === 'param') return literal;
  const items = literal.kind === 'map' ? literal.entries.map(([, v]) => v) : literal.items;
  if (!items.every((i) => i.kind === 'constant')) return literal;
  return { kind: 'constant', value: literalValue(literal, []) };
}

/** The attribute value a literal denotes, with parameters filled in. */
export function literalValue(literal: Literal, parameters: readonly AttributeValue[]): AttributeValue {
  switch (literal.kind) {
    case 'constant':
      return literal.value;
    case 'param': {
      const value = parameters[literal.index];
      if (value === undefined) throw new StatementError(messages.partiqlParameterCount);
      return value;
    }
    case 'list':
      return { L: literal.items.map((i) => literalValue(i, parameters)) };
    case 'map':
      return { M: Object.fromEntries(literal.entries.map(([k, v]) => [k, literalValue(v, parameters)])) };
    case 'bag':
      return bagValue(literal.items.map((i) => literalValue(i, parameters)));
  }
}

/** << … >>: a string set or a number set, without repeats. */
function bagValue(values: readonly AttributeValue[]): AttributeValue {
  if (values.every((v) => 'S' in v)) {
    const members = values.map((v) => (v as { S: string }).S);
    if (new Set(members).size !== members.length) throw new StatementError(messages.duplicateStrings(`[${members.join(', ')}]`));
    return { SS: members };
  }
  if (values.every((v) => 'N' in v)) {
    const members = values.map((v) => (v as { N: string }).N);
    if (new Set(members).size !== members.length) throw new StatementError(messages.duplicateStrings(`[${members.join(', ')}]`));
    return { NS: members };
  }
  if (values.every((v) => 'SS' in v || 'NS' in v || 'BS' in v) && values.length === 1) return values[0] as AttributeValue;
  throw new StatementError(messages.partiqlBagType);
}
