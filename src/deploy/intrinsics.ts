// CloudFormation's intrinsic functions, evaluated as CloudFormation does when it creates a stack:
// Ref (parameters, pseudo parameters, resources), Fn::GetAtt, Fn::Sub, Fn::Join, Fn::If, Fn::Select,
// Fn::Split, Fn::FindInMap, Fn::Base64, Fn::GetAZs, the condition functions (Fn::Equals, Fn::And,
// Fn::Or, Fn::Not, Condition), and the language extensions' Fn::ToJsonString and Fn::Length.
// `Ref: AWS::NoValue` removes the property or list element it stands for.
import { refuse, type Where } from './deploy-error.js';

/** What a template's references resolve to. */
export interface Scope {
  readonly where: Where;
  /** Parameters' values (a list parameter's as a list) and the pseudo parameters. */
  readonly parameters: ReadonlyMap<string, string | readonly string[]>;
  readonly mappings: Readonly<Record<string, unknown>>;
  /** A condition's value by name (evaluated on first use). */
  readonly condition: (name: string) => boolean;
  /** A resource's Ref value (its physical id), or undefined when the template has no such resource. */
  readonly ref: (logicalId: string) => string | undefined;
  /** A resource's attribute, or undefined when it has no such attribute. */
  readonly getAtt: (logicalId: string, attribute: string) => unknown;
  /** The stack's region (Fn::GetAZs). */
  readonly region: string;
}

/** What `Ref: AWS::NoValue` evaluates to: dropped from the object or list holding it. */
export const noValue: unique symbol = Symbol('AWS::NoValue');

const conditionFunctions = new Set(['Fn::Equals', 'Fn::And', 'Fn::Or', 'Fn::Not', 'Condition']);

/** The value with every intrinsic function evaluated. `at` names where it is (for errors). */
export function evaluate(value: unknown, scope: Scope, at: string): unknown {
  if (Array.isArray(value)) return value.map((v, i) => evaluate(v, scope, `${at}[${i}]`)).filter((v) => v !== noValue);
  if (typeof value !== 'object' || value === null) return value;
  const entries = Object.entries(value as Record<string, unknown>);
  const first = entries[0];
  if (entries.length === 1 && first !== undefined && (first[0] === 'Ref' || first[0].startsWith('Fn::') || (first[0] === 'Condition' && typeof first[1] === 'string'))) {
    return call(first[0], first[1], scope, at);
  }
  const out: Record<string, unknown> = {};
  for (const [key, v] of entries) {
    const evaluated = evaluate(v, scope, at === '' ? key : `${at}.${key}`);
    if (evaluated !== noValue) out[key] = evaluated;
  }
  return out;
}

/** A condition function's value (Conditions, Fn::If's condition, Fn::And's operands). */
export function evaluateCondition(value: unknown, scope: Scope, at: string): boolean {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const [name, args] = Object.entries(value as Record<string, unknown>)[0] ?? [];
    if (name !== undefined && conditionFunctions.has(name)) {
      const result = call(name, args, scope, at);
      if (typeof result === 'boolean') return result;
    }
  }
  throw refuse(scope.where, at, 'a condition must be Fn::Equals, Fn::And, Fn::Or, Fn::Not or Condition');
}

function call(name: string, args: unknown, scope: Scope, at: string): unknown {
  const where = `${at === '' ? '' : `${at}.`}${name}`;
  const bad = (message: string): never => {
    throw refuse(scope.where, where, message);
  };
  const list = (value: unknown, length?: number): unknown[] => {
    if (!Array.isArray(value) || (length !== undefined && value.length !== length)) bad(length === undefined ? 'takes a list' : `takes a list of ${length}`);
    return value as unknown[];
  };
  const text = (value: unknown, what: string): string => {
    const evaluated = evaluate(value, scope, where);
    if (typeof evaluated === 'number' || typeof evaluated === 'boolean') return String(evaluated);
    if (typeof evaluated !== 'string') bad(`${what} must be a string`);
    return evaluated as string;
  };
  switch (name) {
    case 'Ref': {
      if (typeof args !== 'string') return bad('takes a logical id or parameter name');
      return reference(args as string, scope, where);
    }
    case 'Condition':
      if (typeof args !== 'string') return bad('takes a condition name');
      return scope.condition(args as string);
    case 'Fn::GetAtt': {
      const parts = typeof args === 'string' ? [args.slice(0, args.indexOf('.')), args.slice(args.indexOf('.') + 1)] : list(args, 2).map((p) => text(p, 'each part'));
      const [id, attribute] = parts as [string, string];
      if (scope.ref(id) === undefined) return bad(`${id} is not a resource of the template`);
      const value = scope.getAtt(id, attribute);
      if (value === undefined) return bad(`${id} has no attribute ${attribute}`);
      return value;
    }
    case 'Fn::Sub': {
      const [template, variables] = Array.isArray(args) ? list(args, 2) : [args, {}];
      if (typeof template !== 'string') return bad('takes a string, or a string and a map of variables');
      const vars = evaluate(variables, scope, `${where}[1]`);
      if (typeof vars !== 'object' || vars === null || Array.isArray(vars)) return bad('its variables must be a map');
      return substitute(template as string, vars as Record<string, unknown>, scope, where);
    }
    case 'Fn::Join': {
      const [delimiter, items] = list(args, 2);
      if (typeof delimiter !== 'string') return bad('its delimiter must be a string');
      const values = evaluate(items, scope, `${where}[1]`);
      if (!Array.isArray(values)) return bad('takes a list of values to join');
      return (values as unknown[]).map((v, i) => {
        if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') bad(`value ${i} is not a string`);
        return String(v);
      }).join(delimiter as string);
    }
    case 'Fn::Select': {
      const [index, items] = list(args, 2);
      const n = Number(evaluate(index, scope, `${where}[0]`));
      const values = evaluate(items, scope, `${where}[1]`);
      if (!Array.isArray(values)) return bad('takes an index and a list');
      if (!Number.isInteger(n) || n < 0 || n >= (values as unknown[]).length) return bad(`index ${n} is outside the list`);
      return (values as unknown[])[n];
    }
    case 'Fn::Split': {
      const [delimiter, source] = list(args, 2);
      if (typeof delimiter !== 'string') return bad('its delimiter must be a string');
      return text(source, 'the string split').split(delimiter as string);
    }
    case 'Fn::FindInMap': {
      const [map, top, second] = list(args).slice(0, 3).map((p) => text(p, 'each key'));
      const found = lookup(scope.mappings, [map as string, top as string, second as string]);
      if (found === undefined) return bad(`no ${map}.${top}.${second} in Mappings`);
      return found;
    }
    case 'Fn::If': {
      const [condition, whenTrue, whenFalse] = list(args, 3);
      if (typeof condition !== 'string') return bad('its first element must be a condition name');
      return scope.condition(condition as string) ? evaluate(whenTrue, scope, `${where}[1]`) : evaluate(whenFalse, scope, `${where}[2]`);
    }
    case 'Fn::Equals': {
      const [a, b] = list(args, 2).map((v, i) => evaluate(v, scope, `${where}[${i}]`));
      return JSON.stringify(a) === JSON.stringify(b) || String(a) === String(b);
    }
    case 'Fn::And':
    case 'Fn::Or': {
      const operands = list(args).map((v, i) => evaluateCondition(v, scope, `${where}[${i}]`));
      if (operands.length < 2 || operands.length > 10) return bad('takes from 2 to 10 conditions');
      return name === 'Fn::And' ? operands.every(Boolean) : operands.some(Boolean);
    }
    case 'Fn::Not':
      return !evaluateCondition(list(args, 1)[0], scope, `${where}[0]`);
    case 'Fn::Base64':
      return Buffer.from(text(args, 'its value'), 'utf8').toString('base64');
    case 'Fn::GetAZs': {
      const region = text(args, 'its region') || scope.region;
      return ['a', 'b', 'c'].map((zone) => `${region}${zone}`);
    }
    case 'Fn::ToJsonString':
      return JSON.stringify(evaluate(args, scope, where));
    case 'Fn::Length': {
      const values = evaluate(args, scope, where);
      if (!Array.isArray(values)) return bad('takes a list');
      return (values as unknown[]).length;
    }
    default:
      return bad('is not served by stratusdb deploy (it needs other stacks or AWS services)');
  }
}

function reference(name: string, scope: Scope, where: string): unknown {
  if (name === 'AWS::NoValue') return noValue;
  const parameter = scope.parameters.get(name);
  if (parameter !== undefined) return parameter;
  const resource = scope.ref(name);
  if (resource !== undefined) return resource;
  throw refuse(scope.where, where, `${name} is neither a parameter nor a resource of the template`);
}

function lookup(root: unknown, path: readonly string[]): unknown {
  let at: unknown = root;
  for (const key of path) {
    if (typeof at !== 'object' || at === null || Array.isArray(at)) return undefined;
    at = (at as Record<string, unknown>)[key];
  }
  return at;
}

/** Fn::Sub's string: `${Name}` and `${Resource.Attribute}` replaced, `${!Literal}` kept as `${Literal}`. */
function substitute(template: string, variables: Record<string, unknown>, scope: Scope, where: string): string {
  return template.replace(/\$\{([^}]*)\}/g, (whole, inner: string) => {
    if (inner.startsWith('!')) return `\${${inner.slice(1)}}`;
    const name = inner.trim();
    const value = name in variables ? variables[name] : name.includes('.') && !scope.parameters.has(name)
      ? call('Fn::GetAtt', [name.slice(0, name.indexOf('.')), name.slice(name.indexOf('.') + 1)], scope, where)
      : reference(name, scope, where);
    if (Array.isArray(value)) return value.join(',');
    if (typeof value === 'object' || value === noValue) throw refuse(scope.where, where, `${whole} is not a string`);
    return String(value);
  });
}
