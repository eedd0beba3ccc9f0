// Policy evaluation: AWS's documented cases one by one, and the server's evaluator compared with a
// reference written plainly from the IAM documentation (loops and a character-by-character wildcard
// match, no compiled patterns or caches) on random policies and requests, by fast-check with a fixed
// seed.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { evaluate, type AccessRequest, type ConditionValues, type Decision } from './evaluate.js';
import { parsePolicy, type Condition, type Policy, type Statement } from './policy.js';

const table = 'arn:aws:dynamodb:us-east-1:111122223333:table/UserProfiles';

function request(action: string, resource: string, keys: Record<string, readonly string[]> = {}): AccessRequest {
  return { action, resource, keys: new Map(Object.entries(keys).map(([k, v]) => [k.toLowerCase(), v])) };
}

function decide(statements: readonly unknown[], req: AccessRequest): Decision {
  return evaluate([parsePolicy(JSON.stringify({ Version: '2012-10-17', Statement: statements }), 'identity')], req);
}

describe('policy evaluation: AWS\'s documented rules', () => {
  it('denies implicitly, allows what a statement allows, and lets an explicit deny win', () => {
    assert.equal(decide([{ Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: table }], request('dynamodb:PutItem', table)), 'none');
    assert.equal(decide([{ Effect: 'Allow', Action: 'dynamodb:Get*', Resource: 'arn:aws:dynamodb:*:*:table/User*' }], request('dynamodb:GetItem', table)), 'allow');
    assert.equal(decide([{ Effect: 'Allow', Action: '*', Resource: '*' }, { Effect: 'Deny', Action: 'dynamodb:GetItem', Resource: table }], request('dynamodb:GetItem', table)), 'deny');
    // Actions compare without case; resources with it.
    assert.equal(decide([{ Effect: 'Allow', Action: 'DynamoDB:getitem', Resource: table }], request('dynamodb:GetItem', table)), 'allow');
    assert.equal(decide([{ Effect: 'Allow', Action: '*', Resource: table.toLowerCase() }], request('dynamodb:GetItem', table)), 'none');
  });

  it('reads NotAction and NotResource as "every other"', () => {
    assert.equal(decide([{ Effect: 'Allow', NotAction: 'dynamodb:DeleteItem', Resource: '*' }], request('dynamodb:GetItem', table)), 'allow');
    assert.equal(decide([{ Effect: 'Allow', NotAction: 'dynamodb:DeleteItem', Resource: '*' }], request('dynamodb:DeleteItem', table)), 'none');
    assert.equal(decide([{ Effect: 'Deny', Action: '*', NotResource: table }], request('dynamodb:GetItem', `${table}2`)), 'deny');
  });

  it('treats a key the request lacks as AWS documents: false, true for a negated operator, IfExists and ForAllValues; ForAnyValue false', () => {
    const allow = (condition: unknown): Decision => decide([{ Effect: 'Allow', Action: '*', Resource: '*', Condition: condition }], request('dynamodb:Scan', table));
    assert.equal(allow({ StringEquals: { 'dynamodb:Select': 'COUNT' } }), 'none');
    assert.equal(allow({ StringNotEquals: { 'dynamodb:Select': 'COUNT' } }), 'allow');
    assert.equal(allow({ StringEqualsIfExists: { 'dynamodb:Select': 'COUNT' } }), 'allow');
    assert.equal(allow({ 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['u1'] } }), 'allow');
    assert.equal(allow({ 'ForAnyValue:StringEquals': { 'dynamodb:LeadingKeys': ['u1'] } }), 'none');
    assert.equal(allow({ Null: { 'dynamodb:LeadingKeys': 'true' } }), 'allow');
    assert.equal(allow({ Null: { 'dynamodb:LeadingKeys': 'false' } }), 'none');
  });

  it('ORs a key\'s values, NORs them for a negated operator, and ANDs keys and operators', () => {
    const keys = { 'dynamodb:LeadingKeys': ['u1'], 'aws:username': ['alice'] };
    const allow = (condition: unknown): Decision => decide([{ Effect: 'Allow', Action: '*', Resource: '*', Condition: condition }], request('dynamodb:GetItem', table, keys));
    assert.equal(allow({ StringEquals: { 'dynamodb:LeadingKeys': ['u0', 'u1'] } }), 'allow');
    assert.equal(allow({ StringNotEquals: { 'dynamodb:LeadingKeys': ['u0', 'u1'] } }), 'none');
    assert.equal(allow({ StringEquals: { 'dynamodb:LeadingKeys': 'u1', 'aws:username': 'bob' } }), 'none');
    assert.equal(allow({ StringEquals: { 'dynamodb:LeadingKeys': 'u1' }, StringLike: { 'aws:username': 'a*' } }), 'allow');
  });

  it('holds ForAllValues to every value of the request and ForAnyValue to one', () => {
    const keys = { 'dynamodb:Attributes': ['userId', 'name', 'salary'] };
    const allow = (condition: unknown): Decision => decide([{ Effect: 'Allow', Action: '*', Resource: '*', Condition: condition }], request('dynamodb:GetItem', table, keys));
    assert.equal(allow({ 'ForAllValues:StringEquals': { 'dynamodb:Attributes': ['userId', 'name'] } }), 'none');
    assert.equal(allow({ 'ForAllValues:StringEquals': { 'dynamodb:Attributes': ['userId', 'name', 'salary', 'age'] } }), 'allow');
    assert.equal(allow({ 'ForAnyValue:StringEquals': { 'dynamodb:Attributes': ['salary'] } }), 'allow');
    assert.equal(allow({ 'ForAllValues:StringNotLike': { 'dynamodb:Attributes': ['sal*'] } }), 'none');
  });

  it('fills policy variables from the request, with defaults, and keeps ${*} literal', () => {
    const leading = { 'dynamodb:LeadingKeys': ['AIDAEXAMPLE'], 'aws:userid': ['AIDAEXAMPLE'], 'aws:username': ['alice'] };
    const own = [{ Effect: 'Allow', Action: '*', Resource: '*', Condition: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['${aws:userid}'] } } }];
    assert.equal(decide(own, request('dynamodb:GetItem', table, leading)), 'allow');
    assert.equal(decide(own, request('dynamodb:GetItem', table, { ...leading, 'dynamodb:LeadingKeys': ['someone-else'] })), 'none');
    assert.equal(decide([{ Effect: 'Allow', Action: '*', Resource: 'arn:aws:dynamodb:*:*:table/${aws:username}-*' }], request('dynamodb:GetItem', 'arn:aws:dynamodb:us-east-1:1:table/alice-notes', leading)), 'allow');
    assert.equal(decide([{ Effect: 'Allow', Action: '*', Resource: 'arn:aws:dynamodb:*:*:table/${aws:username}' }], request('dynamodb:GetItem', 'arn:aws:dynamodb:us-east-1:1:table/alice')), 'none');
    assert.equal(decide([{ Effect: 'Allow', Action: '*', Resource: "arn:aws:dynamodb:*:*:table/${aws:username, 'shared'}" }], request('dynamodb:GetItem', 'arn:aws:dynamodb:us-east-1:1:table/shared')), 'allow');
    assert.equal(decide([{ Effect: 'Allow', Action: '*', Resource: 'arn:aws:dynamodb:*:*:table/a${*}' }], request('dynamodb:GetItem', 'arn:aws:dynamodb:us-east-1:1:table/a*')), 'allow');
    assert.equal(decide([{ Effect: 'Allow', Action: '*', Resource: 'arn:aws:dynamodb:*:*:table/a${*}' }], request('dynamodb:GetItem', 'arn:aws:dynamodb:us-east-1:1:table/ab')), 'none');
  });

  it('compares numbers, dates, booleans, addresses and ARNs', () => {
    const allow = (condition: unknown, keys: Record<string, string[]>): Decision => decide([{ Effect: 'Allow', Action: '*', Resource: '*', Condition: condition }], request('dynamodb:GetItem', table, keys));
    assert.equal(allow({ NumericLessThan: { 'aws:epochtime': '2000000000' } }, { 'aws:epochtime': ['1765000000'] }), 'allow');
    assert.equal(allow({ DateGreaterThan: { 'aws:CurrentTime': '2026-01-01T00:00:00Z' } }, { 'aws:currenttime': ['2026-12-07T05:00:00Z'] }), 'allow');
    assert.equal(allow({ Bool: { 'aws:SecureTransport': 'true' } }, { 'aws:securetransport': ['false'] }), 'none');
    assert.equal(allow({ IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } }, { 'aws:sourceip': ['10.1.2.3'] }), 'allow');
    assert.equal(allow({ NotIpAddress: { 'aws:SourceIp': ['10.0.0.0/8', '::1/128'] } }, { 'aws:sourceip': ['::1'] }), 'none');
    assert.equal(allow({ ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:user/team/*' } }, { 'aws:principalarn': ['arn:aws:iam::111122223333:user/team/alice'] }), 'allow');
  });

  it('refuses documents that do not follow the grammar', () => {
    const refusal = (document: string, kind: 'identity' | 'trust' = 'identity'): string => {
      try {
        parsePolicy(document, kind);
        return 'accepted';
      } catch (error) {
        return `${(error as Error).name}: ${(error as Error).message}`;
      }
    };
    assert.equal(refusal('nope'), 'MalformedPolicyDocument: Syntax errors in policy.');
    assert.equal(refusal(JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*' }] })), 'MalformedPolicyDocument: Policy statement must contain resources.');
    assert.equal(refusal(JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Permit', Action: '*', Resource: '*' }] })), 'MalformedPolicyDocument: Invalid effect: Permit');
    assert.equal(refusal(JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*', Condition: { StringEqualz: { a: 'b' } } }] })), 'MalformedPolicyDocument: Invalid Condition type : StringEqualz.');
    assert.equal(refusal(JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole' }] }), 'trust'), 'MalformedPolicyDocument: Policy statement must contain principals.');
  });
});

// ---- The reference: the documented rules written out plainly.

function globMatches(pattern: string, text: string): boolean {
  if (pattern === '') return text === '';
  const head = pattern[0] as string;
  if (head === '*') return globMatches(pattern.slice(1), text) || (text !== '' && globMatches(pattern, text.slice(1)));
  if (text === '') return false;
  return (head === '?' || head === text[0]) && globMatches(pattern.slice(1), text.slice(1));
}

function referenceCondition(condition: Condition, keys: ConditionValues): boolean {
  const requestValues = keys.get(condition.key);
  const absent = requestValues === undefined || requestValues.length === 0;
  if (condition.operator === 'Null') {
    let anyMatch = false;
    for (const v of condition.values) if ((v === 'true') === absent) anyMatch = true;
    return anyMatch;
  }
  const negated = condition.operator.includes('Not');
  const one = (value: string): boolean => {
    let matched = false;
    for (const raw of condition.values) {
      let expected = raw;
      // The only variable the random policies use.
      if (raw === '${aws:username}') {
        const name = keys.get('aws:username');
        if (name === undefined || name.length !== 1) continue;
        expected = name[0] as string;
      }
      if (condition.operator === 'StringEquals' || condition.operator === 'StringNotEquals') matched ||= value === expected;
      else if (condition.operator === 'StringLike' || condition.operator === 'StringNotLike') matched ||= globMatches(expected, value);
      else if (condition.operator === 'NumericLessThan') matched ||= value.trim() !== '' && Number(value) < Number(expected);
    }
    return negated ? !matched : matched;
  };
  if (condition.set === 'ForAllValues') {
    for (const v of requestValues ?? []) if (!one(v)) return false;
    return true;
  }
  if (condition.set === 'ForAnyValue') {
    for (const v of requestValues ?? []) if (one(v)) return true;
    return false;
  }
  if (absent) return condition.ifExists || negated;
  for (const v of requestValues) if (one(v)) return true;
  return false;
}

function referenceApplies(statement: Statement, req: AccessRequest): boolean {
  const action = req.action.toLowerCase();
  if (statement.actions !== undefined && !statement.actions.some((p) => globMatches(p, action))) return false;
  if (statement.notActions !== undefined && statement.notActions.some((p) => globMatches(p, action))) return false;
  if (statement.resources !== undefined && !statement.resources.some((p) => globMatches(p, req.resource))) return false;
  if (statement.notResources !== undefined && statement.notResources.some((p) => globMatches(p, req.resource))) return false;
  for (const c of statement.conditions) if (!referenceCondition(c, req.keys)) return false;
  return true;
}

function reference(policies: readonly Policy[], req: AccessRequest): Decision {
  let allow = false;
  for (const policy of policies) {
    for (const statement of policy.statements) {
      if (!referenceApplies(statement, req)) continue;
      if (statement.effect === 'Deny') return 'deny';
      allow = true;
    }
  }
  return allow ? 'allow' : 'none';
}

describe('policy evaluation: the server\'s evaluator agrees with the reference', () => {
  const actions = ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 's3:GetObject'];
  const actionPatterns = [...actions, 'dynamodb:*', 'dynamodb:Get*', '*', 'dynamodb:?etItem', 'DynamoDB:query'];
  const resources = [table, `${table}/index/byName`, 'arn:aws:dynamodb:us-east-1:111122223333:table/Orders'];
  const resourcePatterns = [...resources, '*', 'arn:aws:dynamodb:*:*:table/User*', 'arn:aws:dynamodb:us-east-1:111122223333:table/*/index/*', 'arn:aws:dynamodb:*:*:table/?rders'];
  const keys = ['dynamodb:LeadingKeys', 'dynamodb:Select', 'aws:username', 'aws:epochtime'];
  const values = ['u1', 'u2', 'alice', 'a*', 'COUNT', 'SPECIFIC_ATTRIBUTES', '${aws:username}', '1700000000', '2000000000'];
  const operators = ['StringEquals', 'StringNotEquals', 'StringLike', 'StringNotLike', 'StringEqualsIfExists', 'StringNotLikeIfExists', 'NumericLessThan', 'Null',
    'ForAllValues:StringEquals', 'ForAnyValue:StringLike', 'ForAllValues:StringNotEquals', 'ForAnyValue:StringNotLike'];
  const list = <T>(of: fc.Arbitrary<T>): fc.Arbitrary<T[]> => fc.array(of, { minLength: 1, maxLength: 3 });
  const condition = fc.tuple(fc.constantFrom(...operators), fc.constantFrom(...keys), list(fc.constantFrom(...values)))
    .map(([operator, key, vs]) => ({ [operator]: { [key]: operator === 'Null' ? (vs.length % 2 === 0 ? 'true' : 'false') : vs } }));
  const statement = fc.record({
    effect: fc.constantFrom('Allow', 'Allow', 'Deny'),
    not: fc.boolean(), notResource: fc.boolean(),
    actions: list(fc.constantFrom(...actionPatterns)), resources: list(fc.constantFrom(...resourcePatterns)),
    conditions: fc.array(condition, { maxLength: 2 }),
  }).map((s) => ({
    Effect: s.effect, [s.not ? 'NotAction' : 'Action']: s.actions, [s.notResource ? 'NotResource' : 'Resource']: s.resources,
    ...(s.conditions.length === 0 ? {} : { Condition: Object.assign({}, ...s.conditions) as Record<string, unknown> }),
  }));
  const policy = fc.array(statement, { minLength: 1, maxLength: 4 }).map((statements) => parsePolicy(JSON.stringify({ Version: '2012-10-17', Statement: statements }), 'identity'));
  const accessRequest = fc.record({
    action: fc.constantFrom(...actions), resource: fc.constantFrom(...resources),
    keys: fc.dictionary(fc.constantFrom(...keys.map((k) => k.toLowerCase())), fc.array(fc.constantFrom(...values), { maxLength: 3 }), { maxKeys: 4 }),
  }).map((r) => ({ action: r.action, resource: r.resource, keys: new Map(Object.entries(r.keys)) }));

  it('on 5,000 random policies and requests', () => {
    const seen = { allow: 0, deny: 0, none: 0 };
    fc.assert(fc.property(fc.array(policy, { minLength: 1, maxLength: 2 }), accessRequest, (policies, req) => {
      const decision = evaluate(policies, req);
      seen[decision]++;
      return decision === reference(policies, req);
    }), { numRuns: 5000, seed: 20261207 });
    // The random cases reach every decision.
    assert.ok(seen.allow > 0 && seen.deny > 0 && seen.none > 0, JSON.stringify(seen));
  });
});
