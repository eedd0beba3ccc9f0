// Policy evaluation as AWS documents it: a statement applies to a request when its action, resource
// (and, in a resource-based policy, principal) match and every condition holds; an explicit deny
// wins over an allow, and with neither the request is implicitly denied. Conditions: operators AND
// together, keys of one operator AND together, a key's values OR together (NOR for a negated
// operator); a key the request lacks fails the test (a negated operator passes; IfExists passes;
// Null tests exactly that); ForAllValues holds when every value of the request matches (so also when
// there is none), ForAnyValue when one does. Policy variables (${aws:username}, ${…, 'default'})
// are the request's single values of those keys. Patterns compile once and are kept.
import { isIP } from 'node:net';
import type { Condition, Policy, Principals, Statement } from './policy.js';

/** A request's condition keys by name in lower case (a Map, or one that works them out when asked). */
export interface ConditionValues {
  get(key: string): readonly string[] | undefined;
}

/** What a request asks to do, as evaluation sees it. */
export interface AccessRequest {
  readonly action: string;
  readonly resource: string;
  /** The caller's ARNs (a role session's and its role's), which a resource-based policy's Principal names. */
  readonly principal?: string | readonly string[];
  readonly keys: ConditionValues;
}

export type Decision = 'allow' | 'deny' | 'none';

/** The decision of `policies` together: deny if any statement denies, allow if any allows, else none. */
export function evaluate(policies: readonly Policy[], request: AccessRequest): Decision {
  let allowed = false;
  for (const policy of policies) {
    for (const statement of compiled(policy).forAction(request.action)) {
      if (!statement.applies(request)) continue;
      if (statement.effect === 'Deny') return 'deny';
      allowed = true;
    }
  }
  return allowed ? 'allow' : 'none';
}

/**
 * A policy made ready for many requests: for each action asked about, the statements whose Action /
 * NotAction let it through (most statements of a policy are about other actions); and for each
 * statement without policy variables in its resources, whether a resource matches, kept.
 */
class CompiledPolicy {
  private readonly byAction = new Map<string, readonly CompiledStatement[]>();
  private readonly statements: readonly CompiledStatement[];

  constructor(policy: Policy) {
    this.statements = policy.statements.map((statement) => new CompiledStatement(statement));
  }

  /** The statements about `action` (kept by its name as asked; matched in lower case, as actions compare). */
  forAction(action: string): readonly CompiledStatement[] {
    let found = this.byAction.get(action);
    if (found === undefined) {
      const lower = action.toLowerCase();
      found = this.statements.filter((s) => s.matchesAction(lower));
      if (this.byAction.size >= patternsMax) this.byAction.clear();
      this.byAction.set(action, found);
    }
    return found;
  }
}

class CompiledStatement {
  readonly effect: Statement['effect'];
  /** Resources already matched against the statement's Resource / NotResource (only when they have no variables). */
  private readonly resourceMatches: Map<string, boolean> | undefined;

  constructor(private readonly statement: Statement) {
    this.effect = statement.effect;
    const patterns = [...(statement.resources ?? []), ...(statement.notResources ?? [])];
    this.resourceMatches = patterns.some((p) => p.includes('${')) ? undefined : new Map();
  }

  matchesAction(action: string): boolean {
    const { actions, notActions } = this.statement;
    if (actions !== undefined && !actions.some((p) => like(p, action, true))) return false;
    return notActions === undefined || !notActions.some((p) => like(p, action, true));
  }

  applies(request: AccessRequest): boolean {
    const statement = this.statement;
    if (!this.resourceMatchesOf(request)) return false;
    if (statement.principals !== undefined && !principalMatches(statement.principals, request.principal, statement.effect)) return false;
    if (statement.notPrincipals !== undefined && principalMatches(statement.notPrincipals, request.principal, statement.effect)) return false;
    const conditions = statement.conditions;
    for (let i = 0; i < conditions.length; i++) if (!holds(conditions[i] as Condition, request.keys)) return false;
    return true;
  }

  private resourceMatchesOf(request: AccessRequest): boolean {
    const known = this.resourceMatches?.get(request.resource);
    if (known !== undefined) return known;
    const { resources, notResources } = this.statement;
    const matches = (resources === undefined || resources.some((p) => resourceMatches(p, request)))
      && (notResources === undefined || !notResources.some((p) => resourceMatches(p, request)));
    if (this.resourceMatches !== undefined) {
      if (this.resourceMatches.size >= patternsMax) this.resourceMatches.clear();
      this.resourceMatches.set(request.resource, matches);
    }
    return matches;
  }
}

/** Each policy's compiled form, made the first time it is evaluated (policies are never changed, only replaced). */
const compiledPolicies = new WeakMap<Policy, CompiledPolicy>();

function compiled(policy: Policy): CompiledPolicy {
  let found = compiledPolicies.get(policy);
  if (found === undefined) {
    found = new CompiledPolicy(policy);
    compiledPolicies.set(policy, found);
  }
  return found;
}

function resourceMatches(pattern: string, request: AccessRequest): boolean {
  const resolved = substitute(pattern, request.keys);
  return resolved !== undefined && like(resolved, request.resource, false);
}

/**
 * Whether a statement's principals name the caller. An account (`arn:aws:iam::A:root`) named in an
 * Allow delegates to the account — its principals still need their own policies' allow, so it grants
 * the account's root alone; named in a Deny, it denies everyone of the account.
 */
function principalMatches(principals: Principals, caller: string | readonly string[] | undefined, effect: Statement['effect']): boolean {
  if (principals === '*') return true;
  if (caller === undefined) return false;
  return (typeof caller === 'string' ? [caller] : caller).some((arn) => {
    const account = /^arn:aws:(?:iam|sts)::(\d{12}):/.exec(arn)?.[1];
    const accountRoot = account === undefined ? undefined : `arn:aws:iam::${account}:root`;
    return principals.some((p) => p === arn || (effect === 'Deny' && p === accountRoot) || like(p, arn, false));
  });
}

/** Whether one condition holds for the request's keys. */
export function holds(condition: Condition, keys: ConditionValues): boolean {
  const present = keys.get(condition.key);
  if (condition.operator === 'Null') {
    const missing = present === undefined || present.length === 0;
    return condition.values.some((v) => (v.toLowerCase() === 'true') === missing);
  }
  const negated = isNegated(condition.operator);
  const values = present ?? [];
  if (condition.set === 'ForAllValues') return values.every((value) => test(condition, value, keys, negated));
  if (condition.set === 'ForAnyValue') return values.some((value) => test(condition, value, keys, negated));
  if (values.length === 0) return condition.ifExists || negated;
  return values.some((value) => test(condition, value, keys, negated));
}

/** A request value against the condition's values: any of them (none of them, negated). */
function test(condition: Condition, value: string, keys: ConditionValues, negated: boolean): boolean {
  const matched = condition.values.some((raw) => {
    const expected = substitute(raw, keys);
    return expected !== undefined && compare(condition.operator, expected, value);
  });
  return negated ? !matched : matched;
}

/** StringNotEquals, NumericNotEquals, ArnNotLike, NotIpAddress, …: every operator with "Not" in its name. */
function isNegated(operator: string): boolean {
  return operator.includes('Not');
}

/** The positive form of each operator's comparison (a negated operator's result is flipped by the caller). */
function compare(operator: string, expected: string, value: string): boolean {
  switch (operator) {
    case 'StringEquals':
    case 'StringNotEquals':
      return value === literal(expected);
    case 'StringEqualsIgnoreCase':
    case 'StringNotEqualsIgnoreCase':
      return value.toLowerCase() === literal(expected).toLowerCase();
    case 'StringLike':
    case 'StringNotLike':
      return like(expected, value, false);
    case 'NumericEquals':
    case 'NumericNotEquals':
      return numbers(value, expected, (a, b) => a === b);
    case 'NumericLessThan':
      return numbers(value, expected, (a, b) => a < b);
    case 'NumericLessThanEquals':
      return numbers(value, expected, (a, b) => a <= b);
    case 'NumericGreaterThan':
      return numbers(value, expected, (a, b) => a > b);
    case 'NumericGreaterThanEquals':
      return numbers(value, expected, (a, b) => a >= b);
    case 'DateEquals':
    case 'DateNotEquals':
      return dates(value, expected, (a, b) => a === b);
    case 'DateLessThan':
      return dates(value, expected, (a, b) => a < b);
    case 'DateLessThanEquals':
      return dates(value, expected, (a, b) => a <= b);
    case 'DateGreaterThan':
      return dates(value, expected, (a, b) => a > b);
    case 'DateGreaterThanEquals':
      return dates(value, expected, (a, b) => a >= b);
    case 'Bool':
      return value.toLowerCase() === expected.toLowerCase();
    case 'BinaryEquals':
      return value === expected;
    case 'IpAddress':
    case 'NotIpAddress':
      return inCidr(value, expected);
    case 'ArnEquals':
    case 'ArnNotEquals':
    case 'ArnLike':
    case 'ArnNotLike':
      return arnLike(expected, value);
    default:
      return false;
  }
}

function numbers(value: string, expected: string, test: (a: number, b: number) => boolean): boolean {
  const a = Number(value);
  const b = Number(expected);
  return value.trim() !== '' && expected.trim() !== '' && Number.isFinite(a) && Number.isFinite(b) && test(a, b);
}

/** Dates as ISO 8601 text or epoch seconds. */
function dates(value: string, expected: string, test: (a: number, b: number) => boolean): boolean {
  const time = (text: string): number => (/^\d+$/.test(text) ? Number(text) * 1000 : Date.parse(text));
  const a = time(value);
  const b = time(expected);
  return Number.isFinite(a) && Number.isFinite(b) && test(a, b);
}

/** ARNs compare element by element (six, the last holding the rest), each with wildcards. */
function arnLike(pattern: string, arn: string): boolean {
  const p = pattern.split(':');
  const a = arn.split(':');
  if (p.length < 6 || a.length < 6) return false;
  const head = (parts: string[]): string[] => [...parts.slice(0, 5), parts.slice(5).join(':')];
  const ph = head(p);
  const ah = head(a);
  return ph.every((part, i) => like(part, ah[i] as string, false));
}

function inCidr(address: string, cidr: string): boolean {
  const [network, bitsText] = cidr.split('/');
  if (network === undefined) return false;
  const version = isIP(address);
  if (version === 0 || isIP(network) !== version) return false;
  const width = version === 4 ? 32 : 128;
  const bits = bitsText === undefined ? width : Number(bitsText);
  if (!Number.isInteger(bits) || bits < 0 || bits > width) return false;
  const a = addressBits(address, version);
  const n = addressBits(network, version);
  const shift = BigInt(width - bits);
  return a >> shift === n >> shift;
}

function addressBits(address: string, version: number): bigint {
  if (version === 4) return address.split('.').reduce((acc, part) => (acc << 8n) + BigInt(Number(part)), 0n);
  const [head, tail] = address.includes('::') ? address.split('::') : [address, undefined];
  const left = head === '' || head === undefined ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const groups = tail === undefined ? left : [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  return groups.reduce((acc, group) => (acc << 16n) + BigInt(Number.parseInt(group, 16) || 0), 0n);
}

/** The escapes `${*}` and `${?}` stand for these until a pattern is compiled: a star or question mark that is no wildcard. */
const literalStar = '\uE000';
const literalQuestion = '\uE001';

function literal(text: string): string {
  return text.includes(literalStar) || text.includes(literalQuestion) ? text.replaceAll(literalStar, '*').replaceAll(literalQuestion, '?') : text;
}

type Matcher = (text: string) => boolean;
/** Compiled patterns, compared with case and without (actions). */
const sensitive = new Map<string, Matcher>();
const insensitive = new Map<string, Matcher>();
const patternsMax = 10_000;

/** `*` any run of characters, `?` one; `ignoreCase` for actions (whose text comes in lower case). */
function like(pattern: string, text: string, ignoreCase: boolean): boolean {
  const cache = ignoreCase ? insensitive : sensitive;
  let matcher = cache.get(pattern);
  if (matcher === undefined) {
    matcher = compile(pattern, ignoreCase);
    if (cache.size >= patternsMax) cache.clear();
    cache.set(pattern, matcher);
  }
  return matcher(text);
}

function compile(pattern: string, ignoreCase: boolean): Matcher {
  if (!pattern.includes('*') && !pattern.includes('?')) {
    const exact = ignoreCase ? literal(pattern).toLowerCase() : literal(pattern);
    return (text) => text === exact;
  }
  const source = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[\\s\\S]*').replace(/\?/g, '[\\s\\S]')
    .replaceAll(literalStar, '\\*').replaceAll(literalQuestion, '\\?');
  const regex = new RegExp(`^${source}$`, ignoreCase ? 'i' : '');
  return (text) => regex.test(text);
}

/**
 * Policy variables replaced by the request's values: `${aws:username}`, `${key, 'default'}`, and
 * the escapes `${*}`, `${?}`, `${$}` (a star or question mark so written is no wildcard).
 * Undefined when a variable has no single value and no default: the element cannot match.
 */
function substitute(text: string, keys: ConditionValues): string | undefined {
  if (!text.includes('${')) return text;
  let failed = false;
  const out = text.replace(/\$\{([^}]*)\}/g, (_, inner: string) => {
    const body = inner.trim();
    if (body === '*') return literalStar;
    if (body === '?') return literalQuestion;
    if (body === '$') return '$';
    const comma = /^([^,]+),\s*'([^']*)'$/.exec(body);
    const key = (comma?.[1] ?? body).trim().toLowerCase();
    const values = keys.get(key);
    if (values !== undefined && values.length === 1) return values[0] as string;
    if (comma?.[2] !== undefined) return comma[2];
    failed = true;
    return '';
  });
  return failed ? undefined : out;
}
