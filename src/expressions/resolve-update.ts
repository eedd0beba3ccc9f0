// Resolves an UpdateExpression: placeholders, reserved words, the two update functions
// (if_not_exists, list_append), operand types of + - ADD DELETE, and overlapping or conflicting
// paths — reporting the one DynamoDB names first.
import type { AttributeValue } from '../model/attribute-value.js';
import { typeOf } from '../model/attribute-value.js';
import type { RawOperand, RawSetValue, SetValue, UpdateAction, UpdateOperand } from './ast.js';
import type { ParsedUpdate } from './parser.js';
import { checkOverlaps, isConditionFunction, isUpdateFunction, Resolver, type Category, type Substitutions } from './resolve.js';

const order: readonly Category[] = ['parens', 'unknownFunction', 'reserved', 'depth', 'placeholder', 'overlap', 'conflict', 'operand', 'function'];

/** ADD and DELETE name operand types in words. */
const typeWords: Readonly<Record<string, string>> = {
  S: 'STRING', N: 'NUMBER', B: 'BINARY', BOOL: 'BOOLEAN', NULL: 'NULL', M: 'MAP', L: 'LIST', SS: 'SS', NS: 'NS', BS: 'BS',
};

export function resolveUpdate(parsed: ParsedUpdate, subs: Substitutions): UpdateAction[] | string {
  if (parsed.repeatedSection !== undefined) return `The "${parsed.repeatedSection}" section can only be used once in an update expression;`;
  const r = new Resolver(subs);
  if (parsed.redundantParentheses) r.problems.note('parens', 'The expression has redundant parentheses;');
  const actions = parsed.actions.map((action): UpdateAction => {
    const path = r.path(action.path);
    switch (action.kind) {
      case 'remove':
        return { kind: 'remove', path };
      case 'set':
        return { kind: 'set', path, value: setValue(r, action.value) };
      case 'add':
      case 'delete': {
        const value = r.value(action.value);
        const type = typeOf(value);
        const allowed = action.kind === 'add' ? ['N', 'SS', 'NS', 'BS'] : ['SS', 'NS', 'BS'];
        if (!allowed.includes(type)) {
          r.problems.note('function', `Incorrect operand type for operator or function; operator: ${action.kind.toUpperCase()}, operand type: ${typeWords[type] ?? type}`);
        }
        return { kind: action.kind, path, value };
      }
    }
  });
  const clash = checkOverlaps(actions.map((a) => a.path));
  if (clash !== undefined) r.problems.note(clash.kind, clash.message);
  return r.problems.messageFor(order) ?? actions;
}

function setValue(r: Resolver, raw: RawSetValue): SetValue {
  if (raw.kind !== 'arithmetic') return operand(r, raw);
  const left = operand(r, raw.left);
  const right = operand(r, raw.right);
  for (const side of [left, right]) {
    const type = staticType(side);
    if (type !== undefined && type !== 'N') {
      r.problems.note('function', `Incorrect operand type for operator or function; operator or function: ${raw.op}, operand type: ${type}`);
      break;
    }
  }
  return { kind: 'arithmetic', op: raw.op, left, right };
}

/** The type an operand is known to have before the item is read; undefined when it depends on it. */
function staticType(o: UpdateOperand): string | undefined {
  if (o.kind === 'value') return typeOf(o.value);
  if (o.kind === 'list_append') return 'L';
  return undefined;
}

function operand(r: Resolver, raw: RawOperand): UpdateOperand {
  const fallback: UpdateOperand = { kind: 'value', value: { NULL: true } as AttributeValue };
  switch (raw.kind) {
    case 'path':
      return { kind: 'path', path: r.path(raw.steps) };
    case 'value':
      return { kind: 'value', value: r.value(raw.ref) };
    case 'call': {
      if (!isUpdateFunction(raw.name)) {
        r.problems.note('unknownFunction', isConditionFunction(raw.name)
          ? `The function is not allowed in an update expression; function: ${raw.name}`
          : `Invalid function name; function: ${raw.name}`);
        return fallback;
      }
      const args = raw.args.map((a) => operand(r, a));
      if (args.length !== 2) {
        r.problems.note('operand', `Incorrect number of operands for operator or function; operator or function: ${raw.name}, number of operands: ${args.length}`);
        return fallback;
      }
      const [first, second] = args as [UpdateOperand, UpdateOperand];
      if (raw.name === 'if_not_exists') {
        if (first.kind !== 'path') {
          r.problems.note('function', 'Operator or function requires a document path; operator or function: if_not_exists');
          return fallback;
        }
        return { kind: 'if_not_exists', path: first.path, fallback: second };
      }
      for (const arg of args) {
        const type = staticType(arg);
        if (type !== undefined && type !== 'L') {
          r.problems.note('function', `Incorrect operand type for operator or function; operator or function: list_append, operand type: ${type}`);
          break;
        }
      }
      return { kind: 'list_append', first, second };
    }
  }
}
