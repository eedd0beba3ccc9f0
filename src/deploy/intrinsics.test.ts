// CloudFormation's intrinsic functions and YAML short forms as deploy evaluates them.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evaluate, evaluateCondition, type Scope } from './intrinsics.js';
import { parameterValues } from './template-scope.js';
import { parseTemplateText } from './template-text.js';

const scope: Scope = {
  where: { file: 't.yaml' },
  parameters: new Map<string, string | readonly string[]>([['Stage', 'prod'], ['Zones', ['a', 'b']], ['AWS::Region', 'eu-west-1'], ['AWS::AccountId', '123456789012']]),
  mappings: { Sizes: { prod: { Read: 50 }, dev: { Read: 5 } } },
  condition: (name) => name === 'IsProd',
  ref: (id) => (id === 'Orders' ? 'Orders-prod' : undefined),
  getAtt: (id, attribute) => (id === 'Orders' && attribute === 'Arn' ? 'arn:aws:dynamodb:eu-west-1:123456789012:table/Orders-prod' : undefined),
  region: 'eu-west-1',
};

function evaluated(yaml: string): unknown {
  return evaluate(parseTemplateText(yaml, 't.yaml'), scope, '');
}

describe('intrinsic functions', () => {
  it('reads the short forms as their long forms', () => {
    assert.deepEqual(parseTemplateText('a: !Ref X\nb: !GetAtt T.StreamArn\nc: !Sub [ "${A}", { A: !Ref Y } ]\nd: !If [C, 1, 2]\n', 't.yaml'), {
      a: { Ref: 'X' }, b: { 'Fn::GetAtt': ['T', 'StreamArn'] }, c: { 'Fn::Sub': ['${A}', { A: { Ref: 'Y' } }] }, d: { 'Fn::If': ['C', 1, 2] },
    });
  });

  it('evaluates Ref, GetAtt, Sub, Join, Select, Split, FindInMap, If, GetAZs, Base64 and NoValue', () => {
    assert.deepEqual(evaluated([
      'name: !Sub "Orders-${Stage}-${AWS::Region}"',
      'arn: !GetAtt Orders.Arn',
      'subAtt: !Sub "${Orders.Arn}/stream/*"',
      'literal: !Sub "${!NotThis}"',
      'joined: !Join [ ":", [ a, !Ref Stage, !Ref Orders ] ]',
      'second: !Select [ 1, !Ref Zones ]',
      'split: !Split [ ",", "x,y" ]',
      'read: !FindInMap [ Sizes, !Ref Stage, Read ]',
      'picked: !If [ IsProd, big, small ]',
      'zones: !GetAZs ""',
      'encoded: !Base64 hi',
      'list: [ one, !Ref AWS::NoValue, two ]',
      'gone: !Ref AWS::NoValue',
      'json: { "Fn::ToJsonString": { a: 1 } }',
    ].join('\n')), {
      name: 'Orders-prod-eu-west-1', arn: 'arn:aws:dynamodb:eu-west-1:123456789012:table/Orders-prod',
      subAtt: 'arn:aws:dynamodb:eu-west-1:123456789012:table/Orders-prod/stream/*', literal: '${NotThis}', joined: 'a:prod:Orders-prod', second: 'b',
      split: ['x', 'y'], read: 50, picked: 'big', zones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'], encoded: 'aGk=', list: ['one', 'two'], json: '{"a":1}',
    });
  });

  it('evaluates conditions', () => {
    const condition = (yaml: string): boolean => evaluateCondition(parseTemplateText(yaml, 't.yaml'), scope, 'Conditions.C');
    assert.equal(condition('!Equals [ !Ref Stage, prod ]'), true);
    assert.equal(condition('!Not [ !Equals [ !Ref Stage, prod ] ]'), false);
    assert.equal(condition('!And [ !Condition IsProd, !Equals [ a, a ] ]'), true);
    assert.equal(condition('!Or [ !Equals [ a, b ], !Condition IsDev ]'), false);
  });

  it('refuses, naming where', () => {
    assert.throws(() => evaluated('x: !Ref Nothing'), { message: 't.yaml: x.Ref: Nothing is neither a parameter nor a resource of the template' });
    assert.throws(() => evaluated('x: !GetAtt Orders.StreamLabel'), { message: 't.yaml: x.Fn::GetAtt: Orders has no attribute StreamLabel' });
    assert.throws(() => evaluated('x: !Select [ 5, [ a ] ]'), { message: 't.yaml: x.Fn::Select: index 5 is outside the list' });
    assert.throws(() => evaluated('x: !ImportValue Shared'), { message: 't.yaml: x.Fn::ImportValue: is not served by stratusdb deploy (it needs other stacks or AWS services)' });
    assert.throws(() => evaluated('x: !FindInMap [ Sizes, test, Read ]'), { message: 't.yaml: x.Fn::FindInMap: no Sizes.test.Read in Mappings' });
  });

  it('checks parameters as CloudFormation does', () => {
    const declared = { Stage: { Type: 'String', AllowedValues: ['dev', 'prod'], Default: 'dev' }, Size: { Type: 'Number', MinValue: 1, MaxValue: 9, Default: 3 }, Zones: { Type: 'CommaDelimitedList', Default: 'a, b' } };
    assert.deepEqual([...parameterValues(declared, new Map(), { file: 't.yaml' })], [['Stage', 'dev'], ['Size', '3'], ['Zones', ['a', 'b']]]);
    assert.throws(() => parameterValues(declared, new Map([['Stage', 'qa']]), { file: 't.yaml' }), { message: "t.yaml: Parameters.Stage: 'qa' is not one of the AllowedValues [dev, prod]" });
    assert.throws(() => parameterValues(declared, new Map([['Size', '12']]), { file: 't.yaml' }), { message: 't.yaml: Parameters.Size: 12 is above the MaxValue 9' });
    assert.throws(() => parameterValues(declared, new Map([['Size', 'many']]), { file: 't.yaml' }), { message: "t.yaml: Parameters.Size: 'many' is not a number" });
  });
});
