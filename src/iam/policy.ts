// IAM policy documents: the grammar AWS documents (Version, Statement — one or a list — with Effect,
// Action / NotAction, Resource / NotResource, Principal / NotPrincipal for resource-based policies,
// Condition), read into a form the evaluator walks without looking at JSON again. A document that
// does not follow the grammar is refused with MalformedPolicyDocument and the text IAM gives.
import { IamError } from '../errors/errors.js';

export type Effect = 'Allow' | 'Deny';

/** One condition: an operator (with its set qualifier and IfExists) on a key, against values. */
export interface Condition {
  readonly operator: string;
  /** ForAllValues / ForAnyValue, or undefined for a single-valued test. */
  readonly set?: 'ForAllValues' | 'ForAnyValue';
  readonly ifExists: boolean;
  readonly key: string;
  readonly values: readonly string[];
}

/** Who a resource-based policy's statement names: '*' (anyone) or AWS principals' ARNs or account ids. */
export type Principals = '*' | readonly string[];

export interface Statement {
  readonly sid?: string;
  readonly effect: Effect;
  /** Patterns of actions (lower case); `notActions`: the statement applies to every other action. */
  readonly actions?: readonly string[];
  readonly notActions?: readonly string[];
  readonly resources?: readonly string[];
  readonly notResources?: readonly string[];
  readonly principals?: Principals;
  readonly notPrincipals?: Principals;
  readonly conditions: readonly Condition[];
}

export interface Policy {
  readonly version: '2012-10-17' | '2008-10-17';
  readonly statements: readonly Statement[];
}

export type PolicyKind = 'identity' | 'resource' | 'trust';

const malformed = (message: string): IamError => new IamError('MalformedPolicyDocument', message);
export const policyTexts = {
  syntax: 'Syntax errors in policy.',
  principalInIdentity: 'Policy document should not specify a principal.',
  noActions: 'Policy statement must contain actions.',
  noResources: 'Policy statement must contain resources.',
  noPrincipal: 'Policy statement must contain principals.',
  badVersion: (version: string) => `The policy failed legacy parsing: Version ${version} is not supported.`,
  badEffect: (effect: string) => `Invalid effect: ${effect}`,
  badOperator: (operator: string) => `Invalid Condition type : ${operator}.`,
};

const statementKeys = new Set(['Sid', 'Effect', 'Action', 'NotAction', 'Resource', 'NotResource', 'Principal', 'NotPrincipal', 'Condition']);

/** Reads a policy document's text; throws MalformedPolicyDocument when it does not follow the grammar. */
export function parsePolicy(text: string, kind: PolicyKind): Policy {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw malformed(policyTexts.syntax);
  }
  if (!isObject(json)) throw malformed(policyTexts.syntax);
  const version = json['Version'] ?? '2008-10-17';
  if (version !== '2012-10-17' && version !== '2008-10-17') throw malformed(policyTexts.badVersion(String(version)));
  const raw = json['Statement'];
  const list = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  if (list.length === 0) throw malformed(policyTexts.syntax);
  return { version, statements: list.map((s) => statementOf(s, kind)) };
}

function statementOf(raw: unknown, kind: PolicyKind): Statement {
  if (!isObject(raw) || Object.keys(raw).some((k) => !statementKeys.has(k))) throw malformed(policyTexts.syntax);
  const effect = raw['Effect'];
  if (effect !== 'Allow' && effect !== 'Deny') throw malformed(policyTexts.badEffect(String(effect)));
  const sid = raw['Sid'];
  if (sid !== undefined && typeof sid !== 'string') throw malformed(policyTexts.syntax);
  const actions = strings(raw['Action']);
  const notActions = strings(raw['NotAction']);
  if ((actions === undefined) === (notActions === undefined)) throw malformed(policyTexts.noActions);
  const resources = strings(raw['Resource']);
  const notResources = strings(raw['NotResource']);
  if (resources !== undefined && notResources !== undefined) throw malformed(policyTexts.syntax);
  if (resources === undefined && notResources === undefined && kind !== 'trust') throw malformed(policyTexts.noResources);
  const hasPrincipal = raw['Principal'] !== undefined || raw['NotPrincipal'] !== undefined;
  if (kind === 'identity' && hasPrincipal) throw malformed(policyTexts.principalInIdentity);
  if (kind !== 'identity' && !hasPrincipal) throw malformed(policyTexts.noPrincipal);
  const principals = principalsOf(raw['Principal']);
  const notPrincipals = principalsOf(raw['NotPrincipal']);
  return {
    ...(sid === undefined ? {} : { sid }),
    effect,
    ...(actions === undefined ? {} : { actions: actions.map((a) => a.toLowerCase()) }),
    ...(notActions === undefined ? {} : { notActions: notActions.map((a) => a.toLowerCase()) }),
    ...(resources === undefined ? {} : { resources }),
    ...(notResources === undefined ? {} : { notResources }),
    ...(principals === undefined ? {} : { principals }),
    ...(notPrincipals === undefined ? {} : { notPrincipals }),
    conditions: conditionsOf(raw['Condition']),
  };
}

/** A string or a non-empty list of strings (undefined when absent). */
function strings(value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'string')) return value as string[];
  throw malformed(policyTexts.syntax);
}

function principalsOf(value: unknown): Principals | undefined {
  if (value === undefined) return undefined;
  if (value === '*') return '*';
  if (!isObject(value)) throw malformed(policyTexts.syntax);
  const out: string[] = [];
  for (const [type, ids] of Object.entries(value)) {
    const list = strings(ids) ?? [];
    if (type === 'AWS' && list.includes('*')) return '*';
    // Services and federated principals are named as given; StratusDB's callers are AWS principals.
    out.push(...list.map((id) => (type === 'AWS' && /^\d{12}$/.test(id) ? `arn:aws:iam::${id}:root` : id)));
  }
  return out;
}

/** The operators IAM knows, without their IfExists suffix. */
const operators = new Set([
  'StringEquals', 'StringNotEquals', 'StringEqualsIgnoreCase', 'StringNotEqualsIgnoreCase', 'StringLike', 'StringNotLike',
  'NumericEquals', 'NumericNotEquals', 'NumericLessThan', 'NumericLessThanEquals', 'NumericGreaterThan', 'NumericGreaterThanEquals',
  'DateEquals', 'DateNotEquals', 'DateLessThan', 'DateLessThanEquals', 'DateGreaterThan', 'DateGreaterThanEquals',
  'Bool', 'BinaryEquals', 'IpAddress', 'NotIpAddress', 'ArnEquals', 'ArnLike', 'ArnNotEquals', 'ArnNotLike', 'Null',
]);

function conditionsOf(value: unknown): Condition[] {
  if (value === undefined) return [];
  if (!isObject(value)) throw malformed(policyTexts.syntax);
  const out: Condition[] = [];
  for (const [name, block] of Object.entries(value)) {
    let rest = name;
    let set: Condition['set'];
    for (const qualifier of ['ForAllValues', 'ForAnyValue'] as const) {
      if (rest.startsWith(`${qualifier}:`)) {
        set = qualifier;
        rest = rest.slice(qualifier.length + 1);
      }
    }
    const ifExists = rest.endsWith('IfExists') && rest !== 'IfExists';
    const operator = ifExists ? rest.slice(0, -'IfExists'.length) : rest;
    if (!operators.has(operator) || (operator === 'Null' && ifExists)) throw malformed(policyTexts.badOperator(name));
    if (!isObject(block)) throw malformed(policyTexts.syntax);
    for (const [key, raw] of Object.entries(block)) {
      const list = Array.isArray(raw) ? raw : [raw];
      if (list.length === 0 || !list.every((v) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')) throw malformed(policyTexts.syntax);
      out.push({ operator, ...(set === undefined ? {} : { set }), ifExists, key: key.toLowerCase(), values: list.map(String) });
    }
  }
  return out;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
